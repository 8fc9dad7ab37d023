#!/usr/bin/env bash
# WordPress for the plugin's end-to-end test (tests/integrations/test_wordpress_plugin.py):
# Debian's WordPress 6.1 under Apache with mod_php on 127.0.0.1:8089, MariaDB running,
# and Chromium for the browser. Idempotent; the test itself makes a fresh database and
# installs the site in it on every run (integrations/wordpress/tests/install-site.php).
set -euo pipefail

PORT="${SAYSO_WP_PORT:-8089}"
if [ "$(id -u)" -ne 0 ]; then
  echo "wordpress.sh: not root, nothing installed; the WordPress tests will skip (fail under CI=true)"
  exit 0
fi
PACKAGES=(wordpress wordpress-theme-twentytwentyone apache2 libapache2-mod-php php-mysql php-cli
          mariadb-server mariadb-client chromium gettext)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# MariaDB: the test connects as root over TCP, without a password.
if ! mysqladmin --host=127.0.0.1 --user=root ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 60); do
    mysqladmin --host=127.0.0.1 --user=root ping >/dev/null 2>&1 && break
    sleep 1
  done
fi

# One Apache site, on the loopback only, serving Debian's WordPress.
cat > /etc/apache2/sites-available/sayso-wordpress.conf <<CONF
# Written by .ci/setup.d/wordpress.sh for Sayso's WordPress plugin test.
Listen 127.0.0.1:${PORT}
<VirtualHost 127.0.0.1:${PORT}>
    ServerName 127.0.0.1
    # Debian's wp-config.php then reads /etc/wordpress/config-sayso-test.php, which the
    # test writes (a database of its own, WP_DEBUG on); no other site's config is touched.
    SetEnv WORDPRESS_CONFIG sayso-test
    DocumentRoot /usr/share/wordpress
    Alias /wp-content /var/lib/wordpress/wp-content
    <Directory /usr/share/wordpress>
        Options FollowSymLinks
        AllowOverride Limit Options FileInfo
        DirectoryIndex index.php
        Require all granted
    </Directory>
    <Directory /var/lib/wordpress/wp-content>
        Options FollowSymLinks
        Require all granted
    </Directory>
    ErrorLog \${APACHE_LOG_DIR}/sayso-wordpress-error.log
    CustomLog \${APACHE_LOG_DIR}/sayso-wordpress-access.log combined
</VirtualHost>
CONF
a2enmod -q rewrite >/dev/null
a2ensite -q sayso-wordpress >/dev/null
apache2ctl configtest
if pgrep -x apache2 >/dev/null; then apache2ctl graceful; else apache2ctl start; fi
echo "WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php) at http://127.0.0.1:${PORT}/"
