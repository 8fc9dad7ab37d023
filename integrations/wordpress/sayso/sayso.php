<?php
/**
 * Plugin Name:       Sayso
 * Description:       Check a draft's claims in the block editor: who said it, and which sources corroborate or contradict it.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Sayso
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       sayso
 * Domain Path:       /languages
 *
 * @package Sayso
 */

defined( 'ABSPATH' ) || exit;

define( 'SAYSO_PLUGIN_VERSION', '0.1.0' );
define( 'SAYSO_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-sayso-service.php';
require_once __DIR__ . '/includes/class-sayso-settings.php';
require_once __DIR__ . '/includes/class-sayso-rest.php';
require_once __DIR__ . '/includes/class-sayso-editor.php';

add_action(
	'init',
	static function () {
		load_plugin_textdomain( 'sayso', false, dirname( plugin_basename( SAYSO_PLUGIN_FILE ) ) . '/languages' );
	}
);

Sayso_Settings::register();
Sayso_Rest::register();
Sayso_Editor::register();
