<?php
/**
 * The plugin's own REST routes, which the editor calls (with the logged-in user's
 * cookie and REST nonce) and which forward to Sayso with the key added on the server.
 *
 * @package Sayso
 */

defined( 'ABSPATH' ) || exit;

/**
 * Routes sayso/v1/check and sayso/v1/feedback.
 */
class Sayso_Rest {

	const ROUTE_NAMESPACE = 'sayso/v1';

	/**
	 * Hook the routes in.
	 */
	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
	}

	/**
	 * Register the routes.
	 */
	public static function register_routes() {
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/check',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'check' ),
				'permission_callback' => array( __CLASS__, 'can_check' ),
				'args'                => array(
					'blocks'  => array(
						'description' => __( 'The draft\'s paragraphs: each block\'s id and its plain text.', 'sayso' ),
						'type'        => 'array',
						'required'    => true,
						'minItems'    => 1,
						'items'       => array(
							'type'                 => 'object',
							'additionalProperties' => false,
							'properties'           => array(
								'id'   => array(
									'type'      => 'string',
									'minLength' => 1,
									'required'  => true,
								),
								'text' => array(
									'type'     => 'string',
									'required' => true,
								),
							),
						),
					),
					'post_id' => array(
						'description' => __( 'The post being edited: when it is published, its own article is never cited.', 'sayso' ),
						'type'        => 'integer',
						'minimum'     => 0,
					),
					'limit'   => array(
						'description' => __( 'Results per claim.', 'sayso' ),
						'type'        => 'integer',
						'minimum'     => 1,
						'maximum'     => 20,
						'default'     => 5,
					),
				),
			)
		);
		register_rest_route(
			self::ROUTE_NAMESPACE,
			'/feedback',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'feedback' ),
				'permission_callback' => array( __CLASS__, 'can_check' ),
				'args'                => array(
					'claim'       => array(
						'type'      => 'string',
						'required'  => true,
						'minLength' => 1,
					),
					'sentence_id' => array(
						'type'     => 'integer',
						'required' => true,
						'minimum'  => 1,
					),
					'stance'      => array(
						'type'     => 'string',
						'required' => true,
						'enum'     => array( 'corroborates', 'contradicts', 'discusses' ),
					),
					'verdict'     => array(
						'type'     => 'string',
						'required' => true,
						'enum'     => array( 'confirm', 'reject', 'corroborates', 'contradicts', 'discusses' ),
					),
					'note'        => array(
						'type'              => 'string',
						'sanitize_callback' => 'sanitize_textarea_field',
					),
				),
			)
		);
	}

	/**
	 * Who may check: anyone who may edit posts (and this post, when one is named).
	 *
	 * @param WP_REST_Request $request The request.
	 * @return bool|WP_Error
	 */
	public static function can_check( WP_REST_Request $request ) {
		$post_id = (int) $request->get_param( 'post_id' );
		if ( current_user_can( 'edit_posts' ) && ( 0 === $post_id || current_user_can( 'edit_post', $post_id ) ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to check drafts with Sayso.', 'sayso' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * POST sayso/v1/check: the draft's blocks to Sayso's draft check.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function check( WP_REST_Request $request ) {
		$blocks = array();
		foreach ( $request->get_param( 'blocks' ) as $block ) {
			$blocks[] = array(
				'id'   => (string) $block['id'],
				'text' => (string) $block['text'],
			);
		}
		$body    = array(
			'blocks' => $blocks,
			'limit'  => (int) $request->get_param( 'limit' ),
		);
		$post_id = (int) $request->get_param( 'post_id' );
		if ( $post_id > 0 && 'publish' === get_post_status( $post_id ) ) {
			// The draft's own published copy may be in Sayso's corpus: never cite it against itself.
			$body['exclude'] = array( 'url' => get_permalink( $post_id ) );
		}
		$answer = Sayso_Service::post( '/v1/check/draft', $body );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( ! isset( $answer['claims'], $answer['summary'] ) || ! is_array( $answer['claims'] ) ) {
			return new WP_Error(
				'sayso_bad_answer',
				/* translators: %s: the service's address. */
				sprintf( __( 'The service at %s did not answer like Sayso does. Ask an administrator to check its address under Settings → Sayso.', 'sayso' ), Sayso_Service::display_url() ),
				array( 'status' => 502 )
			);
		}
		return rest_ensure_response( $answer );
	}

	/**
	 * POST sayso/v1/feedback: an editor confirms or rejects a result.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function feedback( WP_REST_Request $request ) {
		$body = array(
			'claim'       => (string) $request->get_param( 'claim' ),
			'sentence_id' => (int) $request->get_param( 'sentence_id' ),
			'stance'      => (string) $request->get_param( 'stance' ),
			'verdict'     => (string) $request->get_param( 'verdict' ),
		);
		$note = (string) $request->get_param( 'note' );
		if ( '' !== $note ) {
			$body['note'] = $note;
		}
		$answer = Sayso_Service::post( '/v1/feedback', $body );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$response = rest_ensure_response( $answer );
		$response->set_status( 201 );
		return $response;
	}
}
