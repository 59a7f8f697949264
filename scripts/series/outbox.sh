#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the posting of patches/ with b4, without any network access:
#
#   outbox.sh [--version N --prev DIR|RANGE|REF]
#
# 1. Applies patches/ onto base in a throw-away clone (build/outbox-src),
#    enrolls the branch with "b4 prep -e base", sets the cover letter from
#    patches/cover.txt and lets "b4 prep --auto-to-cc" fill To/Cc from
#    scripts/get_maintainer.pl.
# 2. Writes the threaded emails with "b4 send -o build/outbox --no-sign".
# 3. Checks them: every patch's get_maintainer.pl recipients (maintainers,
#    reviewers and lists) are among the To/Cc of its email, and the emails,
#    applied with "git am" onto a clean base, give exactly the tree of the
#    series (same tree id).
# build/outbox/recipients.txt lists the recipients get_maintainer.pl gives
# for each patch.  Nothing is sent.
#
# The emails are in the name of whoever posts them: git's user.name and
# user.email (of the project checkout) become the author of every commit
# and replace the Signed-off-by: of the commits' author in patches/ (the
# poster certifies the Developer's Certificate of Origin by it).  Without
# both, outbox.sh refuses to run.
#
# A later version (make outbox V=2 PREV=...): "b4 prep --force-revision N"
# gives the subjects "[PATCH vN nn/mm]", and the cover letter gets, after
# the text of patches/cover.txt, the section "Changes in vN:" of
# patches/changelog.txt (CHANGELOG; the lines from "Changes in vN:" to the
# next "Changes in v...:" heading, written by hand) and "Range-diff against
# vN-1:", a "git range-diff" of the previous version against this one
# (also in build/outbox/range-diff.txt).  The previous version (PREV) is a
# directory of patches with its "series" file, as posted (for example a
# copy of patches/ from the tag of the last posting), or a git range
# A..B of $TREE, or a git ref of $TREE (the range base..REF).  Step 3
# also checks the subjects, the changelog and the range-diff in the emails.
. "$(dirname "$0")/../lib/lib.sh"

SRCDIR=$BUILD/outbox-src
OUT=$BUILD/outbox
AMDIR=$BUILD/outbox-am
VERSION=1
PREV=
USAGE="outbox.sh [--version N --prev DIR|RANGE|REF]"
while (($#)); do
	case $1 in
	--version) need_value "$@"; VERSION=$2; shift 2 ;;
	--prev) need_value "$@"; PREV=$2; shift 2 ;;
	*) die "unknown argument '$1'; usage: $USAGE" ;;
	esac
done
need_number --version "$VERSION"
((VERSION > 1)) || [[ -z $PREV ]] || die "--prev is for a later version: give --version 2 or more with it"
CHANGELOG=${CHANGELOG:-$PATCHES/changelog.txt}
if ((VERSION > 1)); then
	[[ -n $PREV ]] || die "version $VERSION needs PREV=<the patches of v$((VERSION - 1)): a directory, a git range or ref of $TREE>"
	[[ -f $CHANGELOG ]] || die "version $VERSION needs $CHANGELOG with a section 'Changes in v$VERSION:'"
	changes=$(awk -v h="Changes in v$VERSION:" '
		$0 == h { on = 1; print; next }
		on && /^Changes in v[0-9]+:/ { exit }
		on { print }
	' "$CHANGELOG" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
	(($(wc -l <<<"$changes") > 1)) ||
		die "$CHANGELOG has no lines under 'Changes in v$VERSION:'"
fi

# The poster: the DCO needs a real identity, so no placeholder.
name=$(git -C "$ROOT" config user.name)
email=$(git -C "$ROOT" config user.email)
if [[ -z $name || -z $email ]]; then
	die "git config user.name and user.email must say who posts: the emails are From: and Signed-off-by: them (set them with git config --global user.name 'Your Name'; git config --global user.email you@example.org)"
fi
POSTER="$name <$email>"

# as_poster FROM TO: the commits FROM..TO made again, same trees, on top of
# FROM, authored by the poster at their original dates, with the
# Signed-off-by: of each commit's author replaced by the poster's (and
# added where it is missing); prints the new last commit.  The trees stay
# the same, so the round-trip check below still compares with $tip.
as_poster() {
	local from=$1 to=$2 parent c author msg
	parent=$(git -C "$SRCDIR" rev-parse --verify "$from^{commit}") || return 1
	for c in $(git -C "$SRCDIR" rev-list --reverse "$from..$to"); do
		author=$(git -C "$SRCDIR" log -1 --format='%an <%ae>' "$c")
		msg=$(git -C "$SRCDIR" log -1 --format=%B "$c" |
			grep -vxF "Signed-off-by: $author" |
			git interpret-trailers --if-exists addIfDifferent --trailer "Signed-off-by: $POSTER")
		parent=$(GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email \
			GIT_AUTHOR_DATE=$(git -C "$SRCDIR" log -1 --format=%aI "$c") \
			GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
			GIT_COMMITTER_DATE=$(git -C "$SRCDIR" log -1 --format=%cI "$c") \
			git -C "$SRCDIR" commit-tree "$c^{tree}" -p "$parent" <<<"$msg") || return 1
	done
	printf '%s\n' "$parent"
}

# prev_range: the commits of the previous version, as a range of $SRCDIR,
# in the poster's name like this version, so that range-diff compares
# the changes and not the signatures.
prev_range() {
	local list a b
	if [[ -d $PREV ]]; then
		list=$(series_patches "$(cd "$PREV" && pwd)") || return 1
		git -C "$SRCDIR" checkout -q --detach base || return 1
		# shellcheck disable=SC2086  # one patch file a line, no blanks
		git -C "$SRCDIR" am -q $list >"$BUILD/logs/outbox-prev-am.log" 2>&1 || {
			git -C "$SRCDIR" am --abort >/dev/null 2>&1
			git -C "$SRCDIR" checkout -q outbox
			msg "the patches in $PREV do not apply on base (log: $BUILD/logs/outbox-prev-am.log)"
			return 1
		}
		b=$(git -C "$SRCDIR" rev-parse HEAD)
		git -C "$SRCDIR" checkout -q outbox || return 1
		a=base
	elif [[ $PREV == *..* ]]; then
		a=$(tgit rev-parse --verify "${PREV%%..*}^{commit}") || return 1
		b=$(tgit rev-parse --verify "${PREV##*..}^{commit}") || return 1
	else
		a=base
		b=$(tgit rev-parse --verify "$PREV^{commit}") || return 1
	fi
	b=$(as_poster "$a" "$b") || return 1
	git -C "$SRCDIR" tag -f "outbox-v$((VERSION - 1))" "$b" >/dev/null
	printf '%s..%s\n' "$a" "$b"
}

stage "outbox: apply patches/ and enroll the series with b4 prep"
"$ROOT/scripts/checks/check-series.sh" tip >&2 || die "patches/ does not apply (the reason is above)"
tip=$(git -C "$BUILD/check" rev-parse HEAD)
rm -rf "$SRCDIR" "$OUT" "$AMDIR"
git clone -q --shared --no-checkout "$TREE" "$SRCDIR" || die "clone failed"
git -C "$SRCDIR" tag -f base "$(tgit rev-parse 'base^{commit}')" >/dev/null
posted=$(as_poster base "$tip") || die "could not make the commits of $tip in the name of $POSTER"
git -C "$SRCDIR" checkout -q -b outbox "$posted" || die "checkout of $posted failed"
info "the emails are From: and Signed-off-by: $POSTER"
git -C "$SRCDIR" config user.name "$name"
git -C "$SRCDIR" config user.email "$email"
# b4 needs a way to send even for -o; nothing is sent.  A placeholder only
# while b4 writes the emails, and only if the poster has no server: the
# poster may send from $SRCDIR with "b4 send" afterwards (README).
placeholder_smtp=0
if [[ -z $(git -C "$SRCDIR" config sendemail.smtpserver) ]]; then
	git -C "$SRCDIR" config sendemail.smtpserver localhost
	placeholder_smtp=1
fi
cover=$(mktemp)
cat "$PATCHES/cover.txt" >"$cover"
if ((VERSION > 1)); then
	range=$(prev_range) || die "PREV=$PREV: not a directory of patches, nor a range or ref of $TREE"
	git -C "$SRCDIR" range-diff --no-color "$range" base..outbox >"$BUILD/logs/outbox-range-diff.txt" ||
		die "git range-diff $range base..outbox failed"
	info "v$VERSION: range-diff against v$((VERSION - 1)) ($range): $(grep -cE '^ *[0-9-]+: ' "$BUILD/logs/outbox-range-diff.txt") commits"
	{
		printf '\n%s\n\n' "$changes"
		printf 'Range-diff against v%d:\n' $((VERSION - 1))
		cat "$BUILD/logs/outbox-range-diff.txt"
		# b4 reads the last paragraph of the cover letter as trailers
		# (To:, Cc:), and would take and move range-diff lines such as
		# "10: 1234 = 10: 5678 subject": end with a paragraph of text.
		printf '\nThe range-diff compares the commits of v%d with those of v%d.\n' \
			$((VERSION - 1)) "$VERSION"
	} >>"$cover"
fi
(
	cd "$SRCDIR" || exit 1
	b4 prep -e base >/dev/null &&
		{ ((VERSION == 1)) || b4 prep --force-revision "$VERSION" >/dev/null 2>&1; } &&
		EDITOR="cp $cover" GIT_EDITOR="cp $cover" b4 prep --edit-cover >/dev/null 2>&1 &&
		b4 prep --auto-to-cc 2>&1 | sed -n 's/^ *+ /  /p'
) || die "b4 prep failed"
rm -f "$cover"
stage_done

stage "outbox: write the emails with b4 send -o"
mkdir -p "$OUT"
((VERSION > 1)) && cp "$BUILD/logs/outbox-range-diff.txt" "$OUT/range-diff.txt"
(cd "$SRCDIR" && b4 send -o "$OUT" --no-sign) >"$BUILD/logs/outbox-send.log" 2>&1 ||
	{ cat "$BUILD/logs/outbox-send.log" >&2; die "b4 send -o failed"; }
((placeholder_smtp)) && git -C "$SRCDIR" config --unset sendemail.smtpserver
mapfile -t series < <(grep -v '^\s*\(#\|$\)' "$PATCHES/series")
mapfile -t mails < <(find "$OUT" -name '*.eml' | sort -V)
((${#mails[@]} == ${#series[@]} + 1)) ||
	die "b4 wrote ${#mails[@]} emails for ${#series[@]} patches and a cover letter"
stage_done "${#mails[@]} emails in $OUT"

stage "outbox: check recipients against get_maintainer.pl, and the round trip"
fail=0
: >"$OUT/recipients.txt"
for p in "${series[@]}"; do
	n=${p%%-*}
	mail=$(find "$OUT" \( -name "${n}-*.eml" -o -name "v*-${n}-*.eml" \) | head -n 1)
	[[ -n $mail ]] || { msg "FAIL: no email for $p"; fail=1; continue; }
	heads=$(python3 - "$mail" <<'EOF'
import email, sys
from email.utils import getaddresses
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for _, a in getaddresses(m.get_all("To", []) + m.get_all("Cc", [])):
    print(a.lower())
EOF
)
	want=$(cd "$SRCDIR" && ./scripts/get_maintainer.pl --nogit --nogit-fallback \
		--norolestats "$PATCHES/$p" 2>/dev/null | sed -E 's/.*<([^>]+)>.*/\1/' | tr '[:upper:]' '[:lower:]')
	mapfile -t addrs <<<"$want"
	{ echo "$p:"; printf '  %s\n' "${addrs[@]}"; } >>"$OUT/recipients.txt"
	while read -r a; do
		[[ -z $a ]] && continue
		if ! grep -qxF "$a" <<<"$heads"; then
			msg "FAIL: $p: $a (get_maintainer.pl) is not among the recipients of $(basename "$mail")"
			fail=1
		fi
	done <<<"$want"
done
# Subjects, and for a later version the changelog and range-diff.
want_prefix='[PATCH '
((VERSION > 1)) && want_prefix="[PATCH v$VERSION "
for m in "${mails[@]}"; do
	subj=$(python3 -c 'import email,sys; print(email.message_from_binary_file(open(sys.argv[1],"rb"))["Subject"].replace("\n", "").replace("\r", ""))' "$m")
	if [[ $subj != "$want_prefix"* ]]; then
		msg "FAIL: $(basename "$m"): subject '$subj' does not start with '$want_prefix'"
		fail=1
	fi
done
if ((VERSION > 1)); then
	for want in "Changes in v$VERSION:" "Range-diff against v$((VERSION - 1)):"; do
		if ! grep -qF "$want" "${mails[0]}"; then
			msg "FAIL: the cover letter $(basename "${mails[0]}") lacks '$want'"
			fail=1
		fi
	done
	# The summary lines of the range-diff, unchanged and in order.
	if ! diff <(grep -E '^ *[0-9-]+: ' "$OUT/range-diff.txt") \
		<(grep -E '^ *[0-9-]+: ' "${mails[0]}") >/dev/null; then
		msg "FAIL: the range-diff in $(basename "${mails[0]}") differs from $OUT/range-diff.txt"
		fail=1
	fi
	((fail)) || info "v$VERSION: subjects '[PATCH v$VERSION nn/${#series[@]}]', changelog and range-diff in the cover letter"
fi
git clone -q --shared --no-checkout "$TREE" "$AMDIR" || die "clone failed"
git -C "$AMDIR" checkout -q --detach "$(tgit rev-parse 'base^{commit}')"
git -C "$AMDIR" config user.name am
git -C "$AMDIR" config user.email am@localhost
for m in "${mails[@]:1}"; do
	git -C "$AMDIR" am -q "$m" >/dev/null 2>&1 || { msg "FAIL: git am of $(basename "$m") failed"; fail=1; break; }
done
got=$(git -C "$AMDIR" rev-parse 'HEAD^{tree}')
want=$(tgit rev-parse "$tip^{tree}")
if [[ $got != "$want" ]]; then
	msg "FAIL: the emails applied with git am give tree $got, the series has $want"
	fail=1
else
	info "the ${#mails[@]} emails apply with git am onto base and give the tree of the series ($want)"
fi
rm -rf "$AMDIR"
((fail == 0)) || die "outbox check failed"
stage_done "recipients: see $OUT/recipients.txt"
info "nothing is sent; to send, see \"Posting\" in README.md (b4 send in $SRCDIR, or git send-email of $OUT/*.eml)"
