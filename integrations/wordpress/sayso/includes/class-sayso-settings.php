<?php
/**
 * Settings → Sayso: the service's address, its API key and how long to wait for it.
 *
 * @package Sayso
 */

defined( 'ABSPATH' ) || exit;

/**
 * The settings page. The key is write-only: the page says whether one is stored and
 * shows its last four characters at most.
 */
class Sayso_Settings {

	const PAGE  = 'sayso';
	const GROUP = 'sayso';

	/**
	 * Hook the page and its settings in.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_init', array( __CLASS__, 'register_settings' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SAYSO_PLUGIN_FILE ), array( __CLASS__, 'action_links' ) );
	}

	/**
	 * Settings → Sayso.
	 */
	public static function add_page() {
		add_options_page(
			__( 'Sayso', 'sayso' ),
			__( 'Sayso', 'sayso' ),
			'manage_options',
			self::PAGE,
			array( __CLASS__, 'render_page' )
		);
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param array $links The plugin's action links.
	 * @return array
	 */
	public static function action_links( $links ) {
		$url = admin_url( 'options-general.php?page=' . self::PAGE );
		array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'sayso' ) . '</a>' );
		return $links;
	}

	/**
	 * The three options, each with its sanitizer.
	 */
	public static function register_settings() {
		register_setting(
			self::GROUP,
			Sayso_Service::OPTION_URL,
			array(
				'type'              => 'string',
				'default'           => '',
				'show_in_rest'      => false,
				'sanitize_callback' => array( __CLASS__, 'sanitize_service_url' ),
			)
		);
		register_setting(
			self::GROUP,
			Sayso_Service::OPTION_KEY,
			array(
				'type'              => 'string',
				'default'           => '',
				'show_in_rest'      => false,
				'sanitize_callback' => array( __CLASS__, 'sanitize_api_key' ),
			)
		);
		register_setting(
			self::GROUP,
			Sayso_Service::OPTION_TIMEOUT,
			array(
				'type'              => 'integer',
				'default'           => Sayso_Service::DEFAULT_TIMEOUT,
				'show_in_rest'      => false,
				'sanitize_callback' => array( __CLASS__, 'sanitize_timeout' ),
			)
		);

		add_settings_section( 'sayso_service', __( 'Service', 'sayso' ), '__return_false', self::PAGE );
		add_settings_field(
			Sayso_Service::OPTION_URL,
			__( 'Service URL', 'sayso' ),
			array( __CLASS__, 'render_url_field' ),
			self::PAGE,
			'sayso_service',
			array( 'label_for' => Sayso_Service::OPTION_URL )
		);
		add_settings_field(
			Sayso_Service::OPTION_KEY,
			__( 'API key', 'sayso' ),
			array( __CLASS__, 'render_key_field' ),
			self::PAGE,
			'sayso_service',
			array( 'label_for' => Sayso_Service::OPTION_KEY )
		);
		add_settings_field(
			Sayso_Service::OPTION_TIMEOUT,
			__( 'Timeout', 'sayso' ),
			array( __CLASS__, 'render_timeout_field' ),
			self::PAGE,
			'sayso_service',
			array( 'label_for' => Sayso_Service::OPTION_TIMEOUT )
		);
	}

	/**
	 * An http(s) URL, without a trailing slash; anything else keeps the previous value.
	 *
	 * @param mixed $value The submitted value.
	 * @return string
	 */
	public static function sanitize_service_url( $value ) {
		$value = trim( (string) $value );
		if ( '' === $value ) {
			return '';
		}
		$url = esc_url_raw( $value, array( 'http', 'https' ) );
		if ( '' === $url || ! wp_parse_url( $url, PHP_URL_HOST ) ) {
			add_settings_error(
				Sayso_Service::OPTION_URL,
				'sayso_bad_url',
				__( 'The service URL must be an http:// or https:// address, such as http://127.0.0.1:8000. The previous address is kept.', 'sayso' )
			);
			return (string) get_option( Sayso_Service::OPTION_URL, '' );
		}
		return untrailingslashit( $url );
	}

	/**
	 * The key is write-only: an empty field keeps the stored key, "forget" deletes it.
	 *
	 * @param mixed $value The submitted value.
	 * @return string
	 */
	public static function sanitize_api_key( $value ) {
		// options.php has checked the nonce and manage_options before sanitizing.
		// phpcs:ignore WordPress.Security.NonceVerification.Missing
		if ( ! empty( $_POST['sayso_forget_key'] ) ) {
			return '';
		}
		$value = trim( sanitize_text_field( (string) $value ) );
		return '' === $value ? (string) get_option( Sayso_Service::OPTION_KEY, '' ) : $value;
	}

	/**
	 * Seconds, within the allowed range.
	 *
	 * @param mixed $value The submitted value.
	 * @return int
	 */
	public static function sanitize_timeout( $value ) {
		return max( Sayso_Service::MIN_TIMEOUT, min( Sayso_Service::MAX_TIMEOUT, absint( $value ) ) );
	}

	/**
	 * The URL field.
	 */
	public static function render_url_field() {
		printf(
			'<input type="url" class="regular-text code" id="%1$s" name="%1$s" value="%2$s" placeholder="http://127.0.0.1:8000" />',
			esc_attr( Sayso_Service::OPTION_URL ),
			esc_attr( Sayso_Service::url() )
		);
		echo '<p class="description">' . esc_html__( 'Where this site reaches Sayso. Only WordPress calls it; editors\' browsers never do.', 'sayso' ) . '</p>';
	}

	/**
	 * The key field: never filled in, so the key is never printed back.
	 */
	public static function render_key_field() {
		if ( Sayso_Service::key_in_config() ) {
			printf(
				'<input type="password" class="regular-text" id="%s" value="" disabled="disabled" />',
				esc_attr( Sayso_Service::OPTION_KEY )
			);
			echo '<p class="description">' . esc_html__( 'Set by SAYSO_API_KEY in wp-config.php, which takes precedence over this field.', 'sayso' ) . '</p>';
			return;
		}
		printf(
			'<input type="password" class="regular-text" id="%1$s" name="%1$s" value="" autocomplete="new-password" spellcheck="false" />',
			esc_attr( Sayso_Service::OPTION_KEY )
		);
		$stored = (string) get_option( Sayso_Service::OPTION_KEY, '' );
		if ( '' === $stored ) {
			echo '<p class="description">' . esc_html__( 'Optional until your Sayso service asks for one. You can instead define SAYSO_API_KEY in wp-config.php, which keeps the key out of the database.', 'sayso' ) . '</p>';
			return;
		}
		$ending = strlen( $stored ) >= 12 ? substr( $stored, -4 ) : '';
		echo '<p class="description">';
		if ( '' === $ending ) {
			esc_html_e( 'A key is stored. Leave the field empty to keep it, or type a new one to replace it.', 'sayso' );
		} else {
			/* translators: %s: the last four characters of the stored key. */
			echo esc_html( sprintf( __( 'A key ending in …%s is stored. Leave the field empty to keep it, or type a new one to replace it.', 'sayso' ), $ending ) );
		}
		echo '</p><p><label><input type="checkbox" name="sayso_forget_key" value="1" /> ' . esc_html__( 'Forget the stored key', 'sayso' ) . '</label></p>';
	}

	/**
	 * The timeout field.
	 */
	public static function render_timeout_field() {
		printf(
			'<input type="number" class="small-text" id="%1$s" name="%1$s" value="%2$d" min="%3$d" max="%4$d" step="1" /> %5$s',
			esc_attr( Sayso_Service::OPTION_TIMEOUT ),
			(int) Sayso_Service::timeout(),
			(int) Sayso_Service::MIN_TIMEOUT,
			(int) Sayso_Service::MAX_TIMEOUT,
			esc_html__( 'seconds to wait for a check', 'sayso' )
		);
	}

	/**
	 * The page, with whether Sayso answers at the address set.
	 */
	public static function render_page() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
		echo '<p>' . esc_html__( 'Sayso checks a draft\'s claims against what sources said. Editors open it from the block editor\'s Sayso sidebar and press "Check draft".', 'sayso' ) . '</p>';
		self::render_connection();
		echo '<form action="options.php" method="post">';
		settings_fields( self::GROUP );
		do_settings_sections( self::PAGE );
		submit_button();
		echo '</form></div>';
	}

	/**
	 * "Connected" or the message an editor would see.
	 */
	private static function render_connection() {
		if ( '' === Sayso_Service::url() ) {
			return;
		}
		$health = Sayso_Service::get( '/v1/health', 5 );
		if ( is_wp_error( $health ) ) {
			echo '<div class="notice notice-error inline sayso-connection"><p>' . esc_html( $health->get_error_message() ) . '</p></div>';
			return;
		}
		/* translators: %s: the service's address. */
		echo '<div class="notice notice-success inline sayso-connection"><p>' . esc_html( sprintf( __( 'Sayso answers at %s.', 'sayso' ), Sayso_Service::display_url() ) ) . '</p></div>';
	}
}
