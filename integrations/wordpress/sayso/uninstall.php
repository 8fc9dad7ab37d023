<?php
/**
 * Deleting the plugin deletes its settings (the stored API key with them).
 *
 * @package Sayso
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'sayso_service_url' );
delete_option( 'sayso_api_key' );
delete_option( 'sayso_timeout' );
