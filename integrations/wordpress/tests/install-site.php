<?php
/**
 * A fresh WordPress site for the plugin's end-to-end test, without the install wizard:
 * drops and recreates the test database, runs wp_install(), adds an editor, turns the
 * editor's welcome guide off, activates the Sayso plugin and points it at Sayso.
 *
 * Run by tests/integrations/test_wordpress_plugin.py as `php install-site.php` with:
 *   SAYSO_WP_CONFIG        the Debian config name (/etc/wordpress/config-<name>.php)
 *   SAYSO_WP_URL           the site's URL, e.g. http://127.0.0.1:8089
 *   SAYSO_WP_PASSWORD      password for both users, "admin" and "editor"
 *   SAYSO_URL              Sayso's base URL
 * The database settings come from the config file; MariaDB's root (no password, over
 * TCP at DB_HOST) creates the database and its user.
 *
 * @package Sayso
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$sayso_site = array(
	'config'   => getenv( 'SAYSO_WP_CONFIG' ),
	'url'      => getenv( 'SAYSO_WP_URL' ),
	'password' => getenv( 'SAYSO_WP_PASSWORD' ),
	'sayso'    => getenv( 'SAYSO_URL' ),
);
foreach ( $sayso_site as $sayso_name => $sayso_value ) {
	if ( ! $sayso_value ) {
		fwrite( STDERR, "install-site.php: $sayso_name is not set\n" );
		exit( 2 );
	}
}

// What Debian's wp-config.php reads to find /etc/wordpress/config-<name>.php.
$_SERVER['WORDPRESS_CONFIG'] = $sayso_site['config'];
$_SERVER['HTTP_HOST']        = wp_parse_url_host_port( $sayso_site['url'] );
$_SERVER['REQUEST_URI']      = '/';
$_SERVER['SERVER_NAME']      = $_SERVER['HTTP_HOST'];
$_SERVER['SERVER_PORT']      = '80';

/**
 * host[:port] of a URL (WordPress is not loaded yet).
 *
 * @param string $url The URL.
 * @return string
 */
function wp_parse_url_host_port( $url ) {
	$parts = parse_url( $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url
	return $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
}

// The database settings, without loading WordPress (which needs the database).
require '/etc/wordpress/config-' . $sayso_site['config'] . '.php';
mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
$sayso_db   = new mysqli( DB_HOST, 'root', '' );
$sayso_name = $sayso_db->real_escape_string( DB_NAME );
$sayso_user = $sayso_db->real_escape_string( DB_USER );
$sayso_pass = $sayso_db->real_escape_string( DB_PASSWORD );
$sayso_db->query( "DROP DATABASE IF EXISTS `$sayso_name`" );
$sayso_db->query( "CREATE DATABASE `$sayso_name` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" );
$sayso_db->query( "CREATE USER IF NOT EXISTS '$sayso_user'@'127.0.0.1' IDENTIFIED BY '$sayso_pass'" );
$sayso_db->query( "ALTER USER '$sayso_user'@'127.0.0.1' IDENTIFIED BY '$sayso_pass'" );
$sayso_db->query( "GRANT ALL PRIVILEGES ON `$sayso_name`.* TO '$sayso_user'@'127.0.0.1'" );
$sayso_db->close();

/**
 * The new site's e-mail to its administrator (pluggable): there is no mail server here.
 */
function wp_new_blog_notification() {
}

define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$sayso_installed = wp_install( 'Sayso newsroom', 'admin', 'admin@example.test', false, '', wp_slash( $sayso_site['password'] ) );
update_option( 'siteurl', $sayso_site['url'] );
update_option( 'home', $sayso_site['url'] );
update_option( 'show_avatars', 0 ); // Gravatar is out of reach offline.
// A classic theme: with a block theme, WordPress 6.1's editor asks an editor-role user's
// browser for the theme's templates and logs the 403 it gets in the console.
switch_theme( 'twentytwentyone' );

$sayso_editor = wp_insert_user(
	array(
		'user_login'   => 'editor',
		'user_pass'    => $sayso_site['password'],
		'user_email'   => 'editor@example.test',
		'display_name' => 'Desk Editor',
		'role'         => 'editor',
	)
);
if ( is_wp_error( $sayso_editor ) ) {
	fwrite( STDERR, $sayso_editor->get_error_message() . "\n" );
	exit( 3 );
}
// The editor's first-visit welcome guide would cover the page.
foreach ( array( $sayso_installed['user_id'], $sayso_editor ) as $sayso_user_id ) {
	update_user_meta(
		$sayso_user_id,
		$GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences',
		array(
			'core/edit-post' => array( 'welcomeGuide' => false ),
			'_modified'      => gmdate( 'c' ),
		)
	);
}

$sayso_activated = activate_plugin( 'sayso/sayso.php' );
if ( is_wp_error( $sayso_activated ) ) {
	fwrite( STDERR, $sayso_activated->get_error_message() . "\n" );
	exit( 4 );
}
update_option( 'sayso_service_url', $sayso_site['sayso'] );

// Offline, WordPress's update checks fail with a PHP warning on the first admin page:
// record that everything installed was just checked, as a connected site would have.
$sayso_plugins = array();
foreach ( get_plugins() as $sayso_file => $sayso_plugin ) {
	$sayso_plugins[ $sayso_file ] = $sayso_plugin['Version'];
}
$sayso_themes = array();
foreach ( wp_get_themes() as $sayso_slug => $sayso_theme ) {
	$sayso_themes[ $sayso_slug ] = $sayso_theme->get( 'Version' );
}
$sayso_nothing_new = array(
	'last_checked' => time(),
	'response'     => array(),
	'translations' => array(),
	'no_update'    => array(),
);
// Options, not set_site_transient(): while installing, transients live in memory only.
update_option(
	'_site_transient_update_core',
	(object) array(
		'last_checked'    => time(),
		'version_checked' => $GLOBALS['wp_version'],
		'updates'         => array(),
		'translations'    => array(),
	)
);
update_option( '_site_transient_update_plugins', (object) ( $sayso_nothing_new + array( 'checked' => $sayso_plugins ) ) );
update_option( '_site_transient_update_themes', (object) ( $sayso_nothing_new + array( 'checked' => $sayso_themes ) ) );
echo wp_json_encode( array( 'editor' => $sayso_editor, 'admin' => $sayso_installed['user_id'] ) ), "\n";
