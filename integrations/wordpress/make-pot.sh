#!/usr/bin/env bash
# Regenerate sayso/languages/sayso.pot, the plugin's strings for translators (GNU gettext;
# `wp i18n make-pot` gives the same). Translations go beside it as sayso-<locale>.po/.mo,
# and the editor's as the JSON files `wp i18n make-json` makes from a .po.
set -euo pipefail
pot="$(realpath -m "${1:-$(dirname "$0")/sayso/languages/sayso.pot}")"  # or where $1 says
cd "$(dirname "$0")/sayso"
keywords=(--keyword=__:1 --keyword=_e:1 --keyword=esc_html__:1 --keyword=esc_html_e:1
          --keyword=esc_attr__:1 --keyword=esc_attr_e:1 --keyword=_n:1,2 --keyword=_x:1,2c)
common=(--from-code=UTF-8 --add-comments=translators: --package-name=Sayso --package-version=0.1.0
        --msgid-bugs-address= --sort-by-file "${keywords[@]}")
xgettext "${common[@]}" --language=PHP 2>/dev/null -o "$pot" sayso.php includes/*.php
xgettext "${common[@]}" --language=JavaScript 2>/dev/null --join-existing -o "$pot" assets/editor.js
sed -i '/^"POT-Creation-Date:/d' "$pot"  # stable file: regenerate, diff, commit
