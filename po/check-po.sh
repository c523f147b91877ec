#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Checks that po/nl.po is complete: every message in the sources (listed in
# POTFILES.in) is translated, none is fuzzy, and format strings match.
# Usage: check-po.sh SOURCE_ROOT
set -eu
root="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$root/po/POTFILES.in" | grep -v '^$' > "$tmp/files"
(cd "$root" && xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from="$tmp/files" -o "$tmp/regie.pot")

echo "1..2"
if msgcmp "$root/po/nl.po" "$tmp/regie.pot" 2>"$tmp/msgcmp.log"; then
  echo "ok 1 po/nl.po holds every message of the sources"
else
  echo "not ok 1 po/nl.po lacks messages (run: meson compile regie-update-po, then translate)"
  sed 's/^/# /' "$tmp/msgcmp.log" | head -n 40
fi
stats=$(msgfmt --check --statistics -o /dev/null "$root/po/nl.po" 2>&1) || true
case "$stats" in
  *untranslated*|*fuzzy*|*error*) echo "not ok 2 po/nl.po: $stats" ;;
  *) echo "ok 2 po/nl.po: $stats" ;;
esac
