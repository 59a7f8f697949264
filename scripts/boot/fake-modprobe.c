// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for modprobe in the boot tests, and a clock for the scenario
 * script.  One static binary, installed under several names:
 *
 *   /sbin/fake-modprobe -q -- NAME   what the kernel runs for
 *                               request_module() in the storm scenarios
 *   /bin/mono                   prints CLOCK_MONOTONIC in microseconds
 *   /bin/not-blocked PID...     prints how many of the PIDs are neither
 *                               gone nor asleep in the kernel (state D,
 *                               where request_module() callers wait)
 *   /sbin/umh-true, umh-false   exit 0 or 1 at once: the trivial helpers of
 *                               the sequential cost measurements
 *   /sbin/thread-exec ARG...    a modprobe_path program that runs
 *                               /run/not-a-program with its arguments the
 *                               way threaded wrappers do: a second thread
 *                               forks, and the child execs it; exits with
 *                               the child's status
 *   /bin/sched-idle CMD ARG...  runs CMD at SCHED_IDLE: a process that
 *                               gets the CPU only when nothing else wants
 *                               it
 *   /sbin/counted-modprobe ARG...  kmod's modprobe with ARG..., its run
 *                               recorded under /run/mp as the stand-in's
 *                               are (below), with its exit status
 *   /bin/fork-chain DEPTH CMD ARG...  runs CMD below DEPTH more ancestors
 *
 * As modprobe it reads its behaviour from /run/mp/config ("SLEEP_MS
 * STATUS [GATED]", default "0 1 0"), and records its life under /run/mp:
 *
 *   runs/<pid>   one file per run, holding the module name
 *   live/<pid>   exists while this copy runs
 *   peaks        one line per run: how many copies were alive when it
 *                started (itself included); the maximum is the peak
 *   events       "start <usec> <name>" and "end <usec> <name> <status>"
 *                lines, for plots
 *   failures     "<name> <status>" for each run that exited non-zero
 *
 * then sleeps SLEEP_MS and exits with STATUS.  It loads nothing.
 *
 * With GATED 1 it then also stays alive until the scenario opens the gate,
 * the FIFO /run/mp/gate, for writing, and for at most GATE_MAX_S.  A
 * scenario that needs every one of its callers to arrive while the first
 * modprobe still runs opens it once they all have, however slowly the
 * machine started them.  SLEEP_MS stays the shortest run, so that a fast
 * machine sees the same timing as without the gate.  Waiting is a blocked
 * open(2), not polling: fifty waiting copies must not take the CPU from
 * the callers they wait for.
 */
#define _GNU_SOURCE	/* SCHED_IDLE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * /run/mp in the guest; FAKE_MODPROBE_DIR elsewhere, for the tooling tests
 * (the kernel starts modprobe with an environment of its own).
 */
static const char *mp_dir = "/run/mp";
/* A scenario that never opens the gate fails, but must not hang. */
#define GATE_MAX_S 120

static char *mp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", mp_dir, name);
	return buf;
}

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

static void sleep_ms(int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts))
		;
}

static void on_alarm(int sig)
{
}

/*
 * Opening a FIFO for reading blocks until it has a writer; the scenario
 * keeps its write end open until every copy has gone.  SIGALRM, without
 * SA_RESTART, ends the wait with EINTR.
 */
static void wait_for_gate(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char path[PATH_MAX];
	int fd;

	sigaction(SIGALRM, &sa, NULL);
	alarm(GATE_MAX_S);
	fd = open(mp_path(path, sizeof(path), "gate"), O_RDONLY);
	alarm(0);
	if (fd < 0)
		perror(path);
	else
		close(fd);
}

static int count_live(void)
{
	char path[PATH_MAX];
	DIR *d = opendir(mp_path(path, sizeof(path), "live"));
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

/*
 * A helper spawned by a kworker that fault_storm marked for failslab
 * inherits the mark.  The faults are meant for the kernel's spawn and
 * exec; the stand-in's own bookkeeping under /run/mp must not fail, or a
 * copy that died half-way would count as alive for ever.  Writing the
 * mark can itself fail with ENOMEM: try again.
 */
static void opt_out_of_faults(void)
{
	int i, fd, done;

	for (i = 0; i < 100; i++) {
		fd = open("/proc/self/make-it-fail", O_WRONLY);
		if (fd < 0) {
			if (errno != ENOMEM)
				return;
			continue;
		}
		done = write(fd, "0", 1) == 1 || errno != ENOMEM;
		close(fd);
		if (done)
			return;
	}
}

/*
 * Records the start of a run of NAME: its runs/ and live/ files, the
 * number of live copies and a "start" event.  Returns the path of its
 * live/ file, which record_end() removes.
 */
static void record_start(const char *who, const char *name, char *live, size_t size)
{
	char path[PATH_MAX], file[PATH_MAX], line[256];
	int fd;

	snprintf(path, sizeof(path), "%s/runs/%d", mp_dir, getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		snprintf(line, sizeof(line), "%s %s\n", who, name);
		if (write(fd, line, strlen(line)) < 0)
			perror(path);
		close(fd);
	}
	snprintf(live, size, "%s/live/%d", mp_dir, getpid());
	fd = open(live, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	snprintf(line, sizeof(line), "%d\n", count_live());
	append(mp_path(file, sizeof(file), "peaks"), line);
	snprintf(line, sizeof(line), "start %llu %s\n", now_us(), name);
	append(mp_path(file, sizeof(file), "events"), line);
}

/* The "end" event of a run, with its exit status; a failed run also in failures. */
static void record_end(const char *name, const char *live, int status)
{
	char file[PATH_MAX], line[256];

	snprintf(line, sizeof(line), "end %llu %s %d\n", now_us(), name, status);
	append(mp_path(file, sizeof(file), "events"), line);
	if (status) {
		snprintf(line, sizeof(line), "%s %d\n", name, status);
		append(mp_path(file, sizeof(file), "failures"), line);
	}
	unlink(live);
}

static int modprobe(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[argc - 1] : "?";
	int run_ms = 0, status = 1, gated = 0;
	char path[PATH_MAX], live[PATH_MAX];
	FILE *f;

	opt_out_of_faults();
	f = fopen(mp_path(path, sizeof(path), "config"), "r");
	if (f) {
		if (fscanf(f, "%d %d %d", &run_ms, &status, &gated) < 2)
			run_ms = 0, status = 1, gated = 0;
		fclose(f);
	}

	record_start(argv[0], name, live, sizeof(live));
	if (run_ms > 0)
		sleep_ms(run_ms);
	if (gated)
		wait_for_gate();
	record_end(name, live, status);
	return status;
}

/*
 * What counted-modprobe runs: kmod's modprobe in the boot tests'
 * initramfs; REAL_MODPROBE elsewhere, for the tooling tests.
 */
static const char *real_modprobe = "/sbin/modprobe";

/*
 * The real modprobe, counted: records its run as the stand-in does, runs
 * kmod's modprobe with the same arguments and waits for it, then records
 * its exit status.  The fork and the wait cost the same on every kernel.
 */
static int counted_modprobe(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[argc - 1] : "?";
	char live[PATH_MAX];
	int status = 0;
	pid_t pid;

	record_start(argv[0], name, live, sizeof(live));
	pid = fork();
	if (pid == 0) {
		argv[0] = "modprobe";
		execv(real_modprobe, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 127 << 8;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 126;
	record_end(name, live, status);
	return status;
}

/*
 * fork-chain DEPTH CMD ARG...: DEPTH processes, each the child of the one
 * before, the last of which execs CMD.  Each waits for its child and exits
 * with its status: a caller of request_module() with DEPTH ancestors more
 * than it would have.
 */
static int fork_chain(int argc, char **argv)
{
	int depth, status = 0;
	pid_t pid;

	if (argc < 3 || (depth = atoi(argv[1])) < 0) {
		fprintf(stderr, "fork-chain: usage: fork-chain DEPTH CMD [ARG...]\n");
		return 2;
	}
	while (depth-- > 0) {
		pid = fork();
		if (pid < 0) {
			perror("fork-chain: fork");
			return 125;
		}
		if (pid == 0)
			continue;
		if (waitpid(pid, &status, 0) < 0)
			return 125;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 126;
	}
	execvp(argv[2], argv + 2);
	perror("fork-chain: exec");
	return 127;
}

/*
 * A process that has exited (no stat file, or state Z) counts as blocked:
 * a caller whose request failed never comes back.
 */
static int not_blocked(int argc, char **argv)
{
	char path[64], buf[512], *state;
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		ssize_t len;
		int fd;

		snprintf(path, sizeof(path), "/proc/%s/stat", argv[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "pid (comm) S ...": comm may hold spaces and parentheses. */
		state = strrchr(buf, ')');
		if (state && state[1] == ' ' && state[2] != 'D' && state[2] != 'Z')
			n++;
	}
	printf("%d\n", n);
	return 0;
}

/* What thread-exec runs: the boot tests put a file of no known format there. */
#define THREAD_EXEC_TARGET "/run/not-a-program"

static void *thread_exec_fn(void *arg)
{
	char **argv = arg;
	int status = 0;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		argv[0] = THREAD_EXEC_TARGET;
		execv(THREAD_EXEC_TARGET, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 127 << 8;
	return (void *)(long)(WIFEXITED(status) ? WEXITSTATUS(status) : 126);
}

/*
 * The child's real_parent is the second thread, not the thread-group
 * leader that the kernel started: the case that finding a helper by
 * task_pid() misses.
 */
static int thread_exec(int argc, char **argv)
{
	pthread_t thread;
	void *ret;

	if (pthread_create(&thread, NULL, thread_exec_fn, argv) ||
	    pthread_join(thread, &ret))
		return 125;
	return (int)(long)ret;
}

/*
 * SCHED_IDLE, then exec: the boot tests' caller that is not scheduled
 * while busy loops keep its CPU busy.  busybox has no chrt.
 */
static int sched_idle(int argc, char **argv)
{
	struct sched_param param = { .sched_priority = 0 };

	if (argc < 2) {
		fprintf(stderr, "sched-idle: usage: sched-idle CMD [ARG...]\n");
		return 2;
	}
	if (sched_setscheduler(0, SCHED_IDLE, &param)) {
		perror("sched-idle: sched_setscheduler");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror("sched-idle: exec");
	return 127;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (getenv("FAKE_MODPROBE_DIR"))
		mp_dir = getenv("FAKE_MODPROBE_DIR");
	if (getenv("REAL_MODPROBE"))
		real_modprobe = getenv("REAL_MODPROBE");
	if (!strcmp(base, "mono")) {
		printf("%llu\n", now_us());
		return 0;
	}
	if (!strcmp(base, "not-blocked"))
		return not_blocked(argc, argv);
	if (!strcmp(base, "umh-true"))
		return 0;
	if (!strcmp(base, "umh-false"))
		return 1;
	if (!strcmp(base, "thread-exec"))
		return thread_exec(argc, argv);
	if (!strcmp(base, "sched-idle"))
		return sched_idle(argc, argv);
	if (!strcmp(base, "counted-modprobe"))
		return counted_modprobe(argc, argv);
	if (!strcmp(base, "fork-chain"))
		return fork_chain(argc, argv);
	return modprobe(argc, argv);
}
