#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the posting of patches/ with b4, without any network access:
#
#   outbox.sh
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
. "$(dirname "$0")/lib.sh"

SRCDIR=$BUILD/outbox-src
OUT=$BUILD/outbox
AMDIR=$BUILD/outbox-am

stage "outbox: apply patches/ and enroll the series with b4 prep"
"$ROOT/scripts/check-series.sh" apply >/dev/null || die "patches/ does not apply"
tip=$(tail -n 1 "$BUILD/check.state" | cut -f1)
rm -rf "$SRCDIR" "$OUT" "$AMDIR"
git clone -q --shared --no-checkout "$TREE" "$SRCDIR" || die "clone failed"
git -C "$SRCDIR" checkout -q -b outbox "$tip" || die "checkout of $tip failed"
git -C "$SRCDIR" tag -f base "$(tgit rev-parse 'base^{commit}')" >/dev/null
# The sender is whoever git says you are; a placeholder where nobody is
# configured (CI), since nothing is sent.
name=$(git -C "$ROOT" config user.name) || name="kmod series outbox check"
email=$(git -C "$ROOT" config user.email) || email="outbox-check@localhost"
git -C "$SRCDIR" config user.name "$name"
git -C "$SRCDIR" config user.email "$email"
# b4 needs a way to send even for -o; nothing is ever sent.
git -C "$SRCDIR" config sendemail.smtpserver localhost
cover=$(mktemp)
cat "$PATCHES/cover.txt" >"$cover"
(
	cd "$SRCDIR" || exit 1
	b4 prep -e base >/dev/null &&
		EDITOR="cp $cover" GIT_EDITOR="cp $cover" b4 prep --edit-cover >/dev/null 2>&1 &&
		b4 prep --auto-to-cc 2>&1 | sed -n 's/^ *+ /  /p'
) || die "b4 prep failed"
rm -f "$cover"
stage_done

stage "outbox: write the emails with b4 send -o"
mkdir -p "$OUT"
(cd "$SRCDIR" && b4 send -o "$OUT" --no-sign) >"$BUILD/logs/outbox-send.log" 2>&1 ||
	{ cat "$BUILD/logs/outbox-send.log" >&2; die "b4 send -o failed"; }
mapfile -t series < <(grep -v '^\s*\(#\|$\)' "$PATCHES/series")
mapfile -t mails < <(find "$OUT" -name '*.eml' | sort)
((${#mails[@]} == ${#series[@]} + 1)) ||
	die "b4 wrote ${#mails[@]} emails for ${#series[@]} patches and a cover letter"
stage_done "${#mails[@]} emails in $OUT"

stage "outbox: check recipients against get_maintainer.pl, and the round trip"
fail=0
: >"$OUT/recipients.txt"
for p in "${series[@]}"; do
	n=${p%%-*}
	mail=$(find "$OUT" -name "${n}-*.eml" | head -n 1)
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
		--norolestats "$PATCHES/$p" 2>/dev/null | sed -E 's/.*<([^>]+)>.*/\1/' | tr 'A-Z' 'a-z')
	{ echo "$p:"; sed 's/^/  /' <<<"$want"; } >>"$OUT/recipients.txt"
	while read -r a; do
		[[ -z $a ]] && continue
		if ! grep -qxF "$a" <<<"$heads"; then
			msg "FAIL: $p: $a (get_maintainer.pl) is not among the recipients of $(basename "$mail")"
			fail=1
		fi
	done <<<"$want"
done
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
