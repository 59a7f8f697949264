// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for modprobe in the boot tests, and a clock for the scenario
 * script.  One static binary, installed under several names:
 *
 *   /sbin/fake-modprobe -q -- NAME   what the kernel runs for
 *                               request_module() in the storm scenarios
 *   /bin/mono                   prints CLOCK_MONOTONIC in microseconds
 *   /sbin/umh-true, umh-false   exit 0 or 1 at once: the trivial helpers of
 *                               the sequential cost measurements
 *
 * As modprobe it reads its behaviour from /run/mp/config ("SLEEP_MS
 * STATUS", default "0 1"), and records its life under /run/mp:
 *
 *   runs/<pid>   one file per run, holding the module name
 *   live/<pid>   exists while this copy runs
 *   peaks        one line per run: how many copies were alive when it
 *                started (itself included); the maximum is the peak
 *   events       "start|end <usec> <name>" lines, for plots
 *
 * then sleeps SLEEP_MS and exits with STATUS.  It loads nothing.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DIR_MP "/run/mp"

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* One write(2) per line: lines of concurrent copies never interleave. */
static void append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		perror(path);
	close(fd);
}

static int count_live(void)
{
	DIR *d = opendir(DIR_MP "/live");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int modprobe(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[argc - 1] : "?";
	char path[128], line[256];
	int sleep_ms = 0, status = 1;
	FILE *f;
	int fd;

	f = fopen(DIR_MP "/config", "r");
	if (f) {
		if (fscanf(f, "%d %d", &sleep_ms, &status) != 2)
			sleep_ms = 0, status = 1;
		fclose(f);
	}

	snprintf(path, sizeof(path), DIR_MP "/runs/%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		snprintf(line, sizeof(line), "%s %s\n", argv[0], name);
		if (write(fd, line, strlen(line)) < 0)
			perror(path);
		close(fd);
	}
	snprintf(path, sizeof(path), DIR_MP "/live/%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	snprintf(line, sizeof(line), "%d\n", count_live());
	append(DIR_MP "/peaks", line);
	snprintf(line, sizeof(line), "start %llu %s\n", now_us(), name);
	append(DIR_MP "/events", line);

	if (sleep_ms > 0) {
		struct timespec ts = {
			.tv_sec = sleep_ms / 1000,
			.tv_nsec = (sleep_ms % 1000) * 1000000L,
		};

		while (nanosleep(&ts, &ts))
			;
	}

	snprintf(line, sizeof(line), "end %llu %s\n", now_us(), name);
	append(DIR_MP "/events", line);
	unlink(path);
	return status;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "mono")) {
		printf("%llu\n", now_us());
		return 0;
	}
	if (!strcmp(base, "umh-true"))
		return 0;
	if (!strcmp(base, "umh-false"))
		return 1;
	return modprobe(argc, argv);
}
