<?php
/**
 * The block editor's side: the sidebar script, its styles and its translations.
 *
 * @package Sayso
 */

defined( 'ABSPATH' ) || exit;

/**
 * Enqueues assets/editor.js (no build step: it uses the wp.* globals WordPress provides).
 */
class Sayso_Editor {

	const HANDLE = 'sayso-editor';

	/**
	 * Hook the assets in.
	 */
	public static function register() {
		add_action( 'enqueue_block_editor_assets', array( __CLASS__, 'enqueue' ) );
	}

	/**
	 * Only in the post editor (not the site or widgets editors), for users who may edit posts.
	 */
	public static function enqueue() {
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( ! $screen || 'post' !== $screen->base || ! current_user_can( 'edit_posts' ) ) {
			return;
		}
		wp_enqueue_script(
			self::HANDLE,
			plugins_url( 'assets/editor.js', SAYSO_PLUGIN_FILE ),
			array(
				'wp-annotations',
				'wp-api-fetch',
				'wp-block-editor',
				'wp-components',
				'wp-data',
				'wp-date',
				'wp-edit-post',
				'wp-editor',
				'wp-element',
				'wp-i18n',
				'wp-plugins',
				'wp-rich-text',
			),
			SAYSO_PLUGIN_VERSION,
			true
		);
		wp_set_script_translations( self::HANDLE, 'sayso', plugin_dir_path( SAYSO_PLUGIN_FILE ) . 'languages' );
		wp_add_inline_script(
			self::HANDLE,
			'window.saysoEditor = ' . wp_json_encode(
				array(
					'configured'  => '' !== Sayso_Service::url(),
					'settingsUrl' => current_user_can( 'manage_options' ) ? admin_url( 'options-general.php?page=' . Sayso_Settings::PAGE ) : '',
				)
			) . ';',
			'before'
		);
		wp_enqueue_style(
			self::HANDLE,
			plugins_url( 'assets/editor.css', SAYSO_PLUGIN_FILE ),
			array(),
			SAYSO_PLUGIN_VERSION
		);
	}
}
