<?php
/**
 * The Sayso service as the plugin sees it: its address, its key, and one HTTP call
 * whose failures come back as messages an editor can act on.
 *
 * @package Sayso
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings access and requests to Sayso (server side only: the browser never sees the key).
 */
class Sayso_Service {

	const OPTION_URL      = 'sayso_service_url';
	const OPTION_KEY      = 'sayso_api_key';
	const OPTION_TIMEOUT  = 'sayso_timeout';
	const DEFAULT_TIMEOUT = 30;
	const MIN_TIMEOUT     = 5;
	const MAX_TIMEOUT     = 120;

	/**
	 * The service's base URL, without a trailing slash ('' when not set).
	 *
	 * @return string
	 */
	public static function url() {
		return untrailingslashit( (string) get_option( self::OPTION_URL, '' ) );
	}

	/**
	 * The service's address as it may be shown to an editor: scheme, host and port,
	 * never a user name or password written into the URL.
	 *
	 * @return string
	 */
	public static function display_url() {
		$parts = wp_parse_url( self::url() );
		if ( empty( $parts['host'] ) ) {
			return '';
		}
		$port = empty( $parts['port'] ) ? '' : ':' . $parts['port'];
		return ( empty( $parts['scheme'] ) ? 'http' : $parts['scheme'] ) . '://' . $parts['host'] . $port;
	}

	/**
	 * Whether wp-config.php defines the key (it then wins over the stored option).
	 *
	 * @return bool
	 */
	public static function key_in_config() {
		return defined( 'SAYSO_API_KEY' ) && '' !== (string) constant( 'SAYSO_API_KEY' );
	}

	/**
	 * The API key: SAYSO_API_KEY from wp-config.php when defined, else the stored option.
	 *
	 * @return string
	 */
	public static function key() {
		if ( self::key_in_config() ) {
			return (string) constant( 'SAYSO_API_KEY' );
		}
		return (string) get_option( self::OPTION_KEY, '' );
	}

	/**
	 * Seconds to wait for Sayso.
	 *
	 * @return int
	 */
	public static function timeout() {
		$seconds = (int) get_option( self::OPTION_TIMEOUT, self::DEFAULT_TIMEOUT );
		return max( self::MIN_TIMEOUT, min( self::MAX_TIMEOUT, $seconds ) );
	}

	/**
	 * POST a JSON body to a Sayso path such as '/v1/check/draft'.
	 *
	 * @param string $path Path on the service, starting with '/'.
	 * @param array  $body The JSON body.
	 * @return array|WP_Error Sayso's JSON answer, or an error whose message an editor can read.
	 */
	public static function post( $path, array $body ) {
		return self::request( 'POST', $path, $body );
	}

	/**
	 * GET a Sayso path.
	 *
	 * @param string $path    Path on the service, starting with '/'.
	 * @param int    $timeout Seconds to wait (the setting when 0).
	 * @return array|WP_Error
	 */
	public static function get( $path, $timeout = 0 ) {
		return self::request( 'GET', $path, null, $timeout );
	}

	/**
	 * One request. The site's own HTTP API with wp_remote_post/wp_remote_get (not the
	 * "safe" variants, which refuse loopback and private addresses: Sayso often runs
	 * beside WordPress on 127.0.0.1 or in a private network).
	 *
	 * @param string     $method  'GET' or 'POST'.
	 * @param string     $path    Path on the service.
	 * @param array|null $body    JSON body for POST.
	 * @param int        $timeout Seconds (the setting when 0).
	 * @return array|WP_Error
	 */
	private static function request( $method, $path, $body = null, $timeout = 0 ) {
		$base = self::url();
		if ( '' === $base ) {
			return new WP_Error(
				'sayso_not_configured',
				__( 'Sayso is not set up yet: an administrator can enter its address under Settings → Sayso.', 'sayso' ),
				array( 'status' => 503 )
			);
		}
		$timeout = $timeout > 0 ? (int) $timeout : self::timeout();
		$args    = array(
			'timeout'     => $timeout,
			'redirection' => 0,
			'headers'     => array( 'Accept' => 'application/json, application/problem+json' ),
			'user-agent'  => 'Sayso-WordPress/' . SAYSO_PLUGIN_VERSION . '; ' . home_url( '/' ),
		);
		$key     = self::key();
		if ( '' !== $key ) {
			$args['headers']['Authorization'] = 'Bearer ' . $key;
		}
		if ( 'POST' === $method ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
			$response                        = wp_remote_post( $base . $path, $args );
		} else {
			$response = wp_remote_get( $base . $path, $args );
		}

		if ( is_wp_error( $response ) ) {
			return self::transport_error( $response, $timeout );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$answer = json_decode( wp_remote_retrieve_body( $response ), true );
		if ( $status >= 200 && $status < 300 ) {
			if ( ! is_array( $answer ) ) {
				return new WP_Error(
					'sayso_bad_answer',
					/* translators: %s: the service's address. */
					sprintf( __( 'The service at %s did not answer like Sayso does. Ask an administrator to check its address under Settings → Sayso.', 'sayso' ), self::display_url() ),
					array( 'status' => 502 )
				);
			}
			return $answer;
		}
		return self::problem( $status, is_array( $answer ) ? $answer : array() );
	}

	/**
	 * No answer at all: a timeout, or nothing listening.
	 *
	 * @param WP_Error $error   The HTTP API's error.
	 * @param int      $timeout Seconds waited.
	 * @return WP_Error
	 */
	private static function transport_error( WP_Error $error, $timeout ) {
		$message = $error->get_error_message();
		if ( false !== stripos( $message, 'timed out' ) || false !== stripos( $message, 'cURL error 28' ) ) {
			return new WP_Error(
				'sayso_timeout',
				/* translators: %d: seconds waited. */
				sprintf( __( 'Sayso did not answer within %d seconds. Try again in a moment; an administrator can allow more time under Settings → Sayso.', 'sayso' ), $timeout ),
				array( 'status' => 504 )
			);
		}
		return new WP_Error(
			'sayso_unreachable',
			/* translators: 1: the service's address, 2: the network error. */
			sprintf( __( 'Sayso is unreachable at %1$s (%2$s). Check that the service is running, or ask an administrator to check its address under Settings → Sayso.', 'sayso' ), self::display_url(), $message ),
			array( 'status' => 502 )
		);
	}

	/**
	 * Sayso answered with an error (RFC 9457 problem details).
	 *
	 * @param int   $status  HTTP status.
	 * @param array $problem The decoded problem document (may be empty).
	 * @return WP_Error
	 */
	private static function problem( $status, array $problem ) {
		$detail = isset( $problem['detail'] ) && is_string( $problem['detail'] ) ? $problem['detail'] : '';
		if ( '' === $detail && isset( $problem['title'] ) && is_string( $problem['title'] ) ) {
			$detail = $problem['title'];
		}
		$data = array(
			'status'       => 502,
			'sayso_status' => $status,
			'sayso_errors' => isset( $problem['errors'] ) && is_array( $problem['errors'] ) ? $problem['errors'] : null,
		);

		if ( 401 === $status ) {
			$message = '' === self::key()
				? __( 'Sayso asks for an API key. An administrator can enter one under Settings → Sayso, or define SAYSO_API_KEY in wp-config.php.', 'sayso' )
				: __( 'Sayso rejected the API key. An administrator can enter a valid key under Settings → Sayso, or in SAYSO_API_KEY in wp-config.php.', 'sayso' );
			return new WP_Error( 'sayso_key_rejected', $message, $data );
		}
		if ( 403 === $status ) {
			return new WP_Error( 'sayso_key_not_allowed', __( 'The API key is not allowed to do this. Ask the Sayso administrator for a key with that permission.', 'sayso' ), $data );
		}
		if ( 413 === $status || ( 422 === $status && self::is_too_long( $problem ) ) ) {
			$data['status'] = 413;
			/* translators: %s: Sayso's explanation. */
			return new WP_Error( 'sayso_draft_too_long', sprintf( __( 'The draft is too long for one check (%s) Check it in parts, or ask the Sayso administrator to raise the limit.', 'sayso' ), self::explain( $detail, $problem ) ), $data );
		}
		if ( 404 === $status ) {
			$data['status'] = 404;
			/* translators: %s: Sayso's explanation. */
			return new WP_Error( 'sayso_not_found', sprintf( __( 'Sayso no longer has this: %s', 'sayso' ), $detail ), $data );
		}
		if ( 400 === $status || 422 === $status ) {
			$data['status'] = 422;
			/* translators: %s: Sayso's explanation. */
			return new WP_Error( 'sayso_invalid', sprintf( __( 'Sayso could not check this: %s', 'sayso' ), self::explain( $detail, $problem ) ), $data );
		}
		if ( 429 === $status || 503 === $status ) {
			$data['status'] = 503;
			return new WP_Error( 'sayso_busy', __( 'Sayso is busy or starting up. Try again in a moment.', 'sayso' ), $data );
		}
		/* translators: 1: HTTP status, 2: Sayso's explanation. */
		return new WP_Error( 'sayso_failed', sprintf( __( 'Sayso failed (HTTP %1$d). %2$s', 'sayso' ), $status, $detail ), $data );
	}

	/**
	 * Whether a validation problem is about the draft's size (too many characters or blocks).
	 *
	 * @param array $problem The problem document.
	 * @return bool
	 */
	private static function is_too_long( array $problem ) {
		$words = strtolower( self::explain( isset( $problem['detail'] ) ? (string) $problem['detail'] : '', $problem ) );
		return (bool) preg_match( '/too long|too many|at most|longer than|more than|characters|and \d+ blocks/', $words );
	}

	/**
	 * What Sayso says is wrong, as one line: its field messages ("The blocks hold 100005
	 * characters; at most 100000 in all."), else its detail.
	 *
	 * @param string $detail  The problem's detail.
	 * @param array  $problem The problem document.
	 * @return string
	 */
	private static function explain( $detail, array $problem ) {
		$lines = array();
		if ( isset( $problem['errors'] ) && is_array( $problem['errors'] ) ) {
			array_walk_recursive(
				$problem['errors'],
				static function ( $message ) use ( &$lines ) {
					if ( is_string( $message ) ) {
						$lines[] = $message;
					}
				}
			);
		}
		return $lines ? implode( ' ', array_unique( $lines ) ) : $detail;
	}
}
