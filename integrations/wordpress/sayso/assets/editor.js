/**
 * Sayso in the block editor: a sidebar that checks the draft's claims, highlights the
 * one selected, takes an editor's Confirm / Reject on each result, and a pre-publish
 * panel that lists contradicted claims nobody has reviewed.
 *
 * No build step: plain ES2017 against the wp.* globals WordPress 6.1 and later provide.
 * Calls only this site's own REST routes (sayso/v1/check, sayso/v1/feedback); the
 * server adds the API key and talks to Sayso.
 */
( function ( wp ) {
	'use strict';

	const el = wp.element.createElement;
	const { Fragment, useState, useMemo } = wp.element;
	const { __, _n, sprintf } = wp.i18n;
	const { useSelect, useDispatch } = wp.data;
	const { Button, ExternalLink, Notice, PanelBody, Spinner } = wp.components;
	const apiFetch = wp.apiFetch;
	// The slots live in wp.editor from WordPress 6.6, in wp.editPost before.
	const slots = wp.editor && wp.editor.PluginSidebar ? wp.editor : wp.editPost;
	const { PluginSidebar, PluginSidebarMoreMenuItem, PluginPrePublishPanel } = slots;

	const PLUGIN = 'sayso';
	const SIDEBAR = 'sayso-sidebar';
	const ANNOTATION_SOURCE = 'sayso';
	const settings = window.saysoEditor || {};
	const STANCES = [
		{ stance: 'contradicts', label: __( 'Contradicting', 'sayso' ) },
		{ stance: 'corroborates', label: __( 'Corroborating', 'sayso' ) },
		{ stance: 'discusses', label: __( 'Discussing', 'sayso' ) },
	];
	const VERDICTS = {
		contradicted: __( 'Contradicted', 'sayso' ),
		corroborated: __( 'Corroborated', 'sayso' ),
		discussed: __( 'Discussed', 'sayso' ),
		nothing_found: __( 'Nothing found', 'sayso' ),
	};

	/**
	 * The draft as Sayso reads it: every block with rich-text content, in document
	 * order, as its client id and plain text (whose offsets annotations use).
	 *
	 * @param {Array} blocks The editor's blocks.
	 * @return {Array<{id: string, text: string}>} The paragraphs.
	 */
	function draftParagraphs( blocks ) {
		const paragraphs = [];
		( function walk( list ) {
			list.forEach( ( block ) => {
				const content = block.attributes && block.attributes.content;
				let html = null;
				if ( typeof content === 'string' ) {
					html = content;
				} else if ( content && typeof content.toHTMLString === 'function' ) {
					html = content.toHTMLString(); // WordPress 6.5+: RichTextData.
				}
				if ( html !== null ) {
					const text = wp.richText.create( { html } ).text;
					if ( text.trim() ) {
						paragraphs.push( { id: block.clientId, text } );
					}
				}
				if ( block.innerBlocks && block.innerBlocks.length ) {
					walk( block.innerBlocks );
				}
			} );
		} )( blocks );
		return paragraphs;
	}

	/**
	 * Sayso counts offsets in code points, JavaScript (and annotations) in UTF-16 units.
	 *
	 * @param {string} text   The paragraph.
	 * @param {number} offset Code-point offset.
	 * @return {number} UTF-16 offset.
	 */
	function utf16Offset( text, offset ) {
		return Array.from( text ).slice( 0, offset ).join( '' ).length;
	}

	/**
	 * Where a claim is in its block now: its checked offsets while the paragraph is
	 * unchanged, else wherever its sentence still stands, else null.
	 *
	 * @param {Object} claim   A claim from the check.
	 * @param {string} checked The paragraph as checked.
	 * @param {string} current The paragraph now.
	 * @return {?{start: number, end: number}} The range.
	 */
	function claimRange( claim, checked, current ) {
		if ( typeof checked !== 'string' || typeof current !== 'string' ) {
			return null;
		}
		const start = utf16Offset( checked, claim.start );
		const end = utf16Offset( checked, claim.end );
		if ( checked === current ) {
			return { start, end };
		}
		const sentence = checked.slice( start, end );
		const moved = sentence ? current.indexOf( sentence ) : -1;
		return moved < 0 ? null : { start: moved, end: moved + sentence.length };
	}

	function decisionKey( claim, finding ) {
		return claim.text + '\u0000' + finding.sentence.id;
	}

	/**
	 * "Name, role", or '' when nobody is named (the text's own voice, or no name found).
	 *
	 * @param {?Object} speaker A Speaker from Sayso.
	 * @return {string} The line.
	 */
	function speakerLine( speaker ) {
		if ( ! speaker || ! speaker.name || speaker.kind === 'publisher' ) {
			return '';
		}
		return speaker.role ? speaker.name + ', ' + speaker.role : speaker.name;
	}

	function formatDate( value ) {
		if ( ! value ) {
			return '';
		}
		const date = new Date( value );
		if ( isNaN( date.getTime() ) ) {
			return '';
		}
		if ( wp.date && wp.date.dateI18n ) {
			return wp.date.dateI18n( wp.date.getSettings().formats.date, date );
		}
		return date.toLocaleDateString();
	}

	function errorMessage( error ) {
		if ( error && error.message ) {
			return error.message;
		}
		return __( 'The check failed for an unknown reason. Try again.', 'sayso' );
	}

	/**
	 * All the plugin's state, shared by the sidebar and the pre-publish panel.
	 *
	 * @return {Object} State and actions.
	 */
	function useDraftCheck() {
		const [ check, setCheck ] = useState( { status: 'idle' } );
		const [ selected, setSelected ] = useState( null );
		const [ decisions, setDecisions ] = useState( {} );
		const { blocks, postId } = useSelect( ( select ) => ( {
			blocks: select( 'core/block-editor' ).getBlocks(),
			postId: select( 'core/editor' ).getCurrentPostId(),
		} ), [] );
		const paragraphs = useMemo( () => draftParagraphs( blocks ), [ blocks ] );
		const signature = useMemo( () => JSON.stringify( paragraphs ), [ paragraphs ] );
		const { selectBlock } = useDispatch( 'core/block-editor' );
		const annotations = useDispatch( 'core/annotations' );

		const clearHighlight = () => annotations.__experimentalRemoveAnnotationsBySource( ANNOTATION_SOURCE );

		const run = () => {
			if ( ! paragraphs.length ) {
				setCheck( { status: 'error', error: __( 'The draft has no text to check yet.', 'sayso' ) } );
				return;
			}
			const sent = paragraphs;
			const sentSignature = signature;
			setCheck( ( previous ) => Object.assign( {}, previous, { status: 'checking', error: null } ) );
			apiFetch( {
				path: '/sayso/v1/check',
				method: 'POST',
				data: { blocks: sent, post_id: postId || 0 },
			} ).then(
				( answer ) => {
					clearHighlight();
					setSelected( null );
					setCheck( {
						status: 'done',
						answer,
						signature: sentSignature,
						checkedText: Object.fromEntries( sent.map( ( p ) => [ p.id, p.text ] ) ),
					} );
				},
				( error ) => {
					setCheck( ( previous ) => Object.assign( {}, previous, { status: 'error', error: errorMessage( error ) } ) );
				}
			);
		};

		const choose = ( claim ) => {
			clearHighlight();
			if ( selected === claim.index ) {
				setSelected( null );
				return;
			}
			setSelected( claim.index );
			const current = paragraphs.find( ( p ) => p.id === claim.block );
			if ( ! claim.block || ! current ) {
				return;
			}
			selectBlock( claim.block );
			const range = claimRange( claim, check.checkedText[ claim.block ], current.text );
			if ( range ) {
				annotations.__experimentalAddAnnotation( {
					source: ANNOTATION_SOURCE,
					blockClientId: claim.block,
					richTextIdentifier: 'content',
					range,
				} );
			}
		};

		const decide = ( claim, finding, verdict ) => {
			const key = decisionKey( claim, finding );
			const update = ( value ) => setDecisions( ( all ) => Object.assign( {}, all, { [ key ]: value } ) );
			update( { verdict, status: 'sending' } );
			apiFetch( {
				path: '/sayso/v1/feedback',
				method: 'POST',
				data: { claim: claim.text, sentence_id: finding.sentence.id, stance: finding.stance, verdict },
			} ).then(
				() => update( { verdict, status: 'sent' } ),
				( error ) => update( { verdict, status: 'error', error: errorMessage( error ) } )
			);
		};

		const claims = check.answer ? check.answer.claims : [];
		const reviewed = ( claim ) => claim.results.some( ( finding ) => {
			const decision = decisions[ decisionKey( claim, finding ) ];
			return finding.stance === 'contradicts' && decision && decision.status === 'sent';
		} );

		return {
			check,
			claims,
			selected,
			decisions,
			paragraphs,
			stale: !! check.answer && check.signature !== signature,
			gone: ( claim ) => ! paragraphs.some( ( p ) => p.id === claim.block ),
			unreviewed: claims.filter( ( claim ) => claim.verdict === 'contradicted' && ! reviewed( claim ) ),
			run,
			choose,
			decide,
		};
	}

	function CheckButton( { state } ) {
		const checking = state.check.status === 'checking';
		return el(
			'div',
			{ className: 'sayso-check' },
			el(
				Button,
				{
					variant: 'primary',
					className: 'sayso-check__button',
					onClick: state.run,
					disabled: checking,
					'aria-disabled': checking,
				},
				state.check.answer ? __( 'Check again', 'sayso' ) : __( 'Check draft', 'sayso' )
			),
			checking && el( Spinner ),
			checking && el( 'span', { className: 'sayso-check__status' }, __( 'Checking…', 'sayso' ) )
		);
	}

	function Messages( { state } ) {
		const notices = [];
		if ( ! settings.configured ) {
			notices.push(
				el(
					Notice,
					{ key: 'setup', status: 'warning', isDismissible: false, className: 'sayso-setup' },
					__( 'Sayso is not set up yet: an administrator can enter its address under Settings → Sayso.', 'sayso' ),
					settings.settingsUrl && el( 'a', { href: settings.settingsUrl }, ' ' + __( 'Open the settings', 'sayso' ) )
				)
			);
		}
		if ( state.check.status === 'error' ) {
			notices.push(
				el( Notice, { key: 'error', status: 'error', isDismissible: false, className: 'sayso-error' }, state.check.error )
			);
		}
		if ( state.stale ) {
			notices.push(
				el(
					Notice,
					{ key: 'stale', status: 'warning', isDismissible: false, className: 'sayso-stale' },
					el( 'strong', null, __( 'Stale', 'sayso' ) + ': ' ),
					__( 'the draft has changed since this check. Check again for current results.', 'sayso' )
				)
			);
		}
		return el( Fragment, null, notices );
	}

	function Summary( { answer } ) {
		const s = answer.summary;
		if ( ! s.claims ) {
			return el( 'p', { className: 'sayso-summary' }, __( 'No claims found in this draft.', 'sayso' ) );
		}
		const counts = {
			/* translators: %d: number of claims a source contradicts. */
			contradicted: ( n ) => sprintf( _n( '%d contradicted', '%d contradicted', n, 'sayso' ), n ),
			/* translators: %d: number of claims a source corroborates. */
			corroborated: ( n ) => sprintf( _n( '%d corroborated', '%d corroborated', n, 'sayso' ), n ),
			/* translators: %d: number of claims sources only discuss. */
			discussed: ( n ) => sprintf( _n( '%d discussed', '%d discussed', n, 'sayso' ), n ),
			/* translators: %d: number of claims no source speaks to. */
			nothing_found: ( n ) => sprintf( _n( '%d with nothing found', '%d with nothing found', n, 'sayso' ), n ),
		};
		const parts = Object.keys( counts ).filter( ( verdict ) => s[ verdict ] ).map( ( verdict ) => counts[ verdict ]( s[ verdict ] ) );
		return el(
			'p',
			{ className: 'sayso-summary' },
			sprintf(
				/* translators: 1: number of claims, e.g. "4 claims"; 2: their verdicts, e.g. "1 contradicted, 3 corroborated". */
				__( '%1$s: %2$s', 'sayso' ),
				/* translators: %d: number of claims found in the draft. */
				sprintf( _n( '%d claim', '%d claims', s.claims, 'sayso' ), s.claims ),
				parts.join( ', ' )
			)
		);
	}

	function Decision( { state, claim, finding } ) {
		const decision = state.decisions[ decisionKey( claim, finding ) ];
		if ( decision && decision.status === 'sent' ) {
			return el(
				'p',
				{ className: 'sayso-decision is-' + decision.verdict },
				decision.verdict === 'confirm' ? __( 'Confirmed: sent to Sayso.', 'sayso' ) : __( 'Rejected: sent to Sayso.', 'sayso' )
			);
		}
		const sending = !! decision && decision.status === 'sending';
		return el(
			'div',
			{ className: 'sayso-decision' },
			el(
				Button,
				{
					variant: 'secondary',
					className: 'sayso-confirm',
					disabled: sending,
					title: __( 'This source says what Sayso says it does', 'sayso' ),
					onClick: () => state.decide( claim, finding, 'confirm' ),
				},
				__( 'Confirm', 'sayso' )
			),
			el(
				Button,
				{
					variant: 'tertiary',
					isDestructive: true,
					className: 'sayso-reject',
					disabled: sending,
					title: __( 'Sayso got this source wrong', 'sayso' ),
					onClick: () => state.decide( claim, finding, 'reject' ),
				},
				__( 'Reject', 'sayso' )
			),
			sending && el( Spinner ),
			decision && decision.status === 'error' && el( 'p', { className: 'sayso-decision__error' }, decision.error )
		);
	}

	function Finding( { state, claim, finding } ) {
		const source = finding.source || {};
		const speaker = speakerLine( finding.speaker );
		const date = formatDate( source.published_at );
		return el(
			'li',
			{ className: 'sayso-finding is-' + finding.stance },
			el( 'blockquote', { className: 'sayso-finding__sentence' }, finding.sentence.text ),
			speaker && el( 'p', { className: 'sayso-finding__speaker' }, '— ' + speaker ),
			el(
				'p',
				{ className: 'sayso-finding__source' },
				[ source.outlet, date ].filter( Boolean ).join( ' · ' ),
				source.url && el( Fragment, null, ' ', el( ExternalLink, { href: source.url }, source.title || source.url ) )
			),
			finding.reason && el(
				'p',
				{ className: 'sayso-finding__reason' },
				el( 'strong', null, __( 'Why:', 'sayso' ) + ' ' ),
				finding.reason
			),
			el( Decision, { state, claim, finding } )
		);
	}

	function Claim( { state, claim } ) {
		const isSelected = state.selected === claim.index;
		const speaker = speakerLine( claim.speaker );
		return el(
			'li',
			{ className: 'sayso-claim is-' + claim.verdict + ( isSelected ? ' is-selected' : '' ) },
			el(
				Button,
				{
					className: 'sayso-claim__select',
					'aria-expanded': isSelected,
					onClick: () => state.choose( claim ),
				},
				el( 'span', { className: 'sayso-verdict is-' + claim.verdict }, VERDICTS[ claim.verdict ] || claim.verdict ),
				el( 'span', { className: 'sayso-claim__text' }, claim.text ),
				el(
					'span',
					{ className: 'sayso-claim__speaker' },
					speaker
						/* translators: %s: who says the claim in the draft. */
						? sprintf( __( 'Speaker: %s', 'sayso' ), speaker )
						: __( 'No speaker named: the draft says it', 'sayso' )
				)
			),
			isSelected && state.gone( claim ) && el( 'p', { className: 'sayso-claim__gone' }, __( 'This paragraph is no longer in the draft.', 'sayso' ) ),
			isSelected && el(
				'div',
				{ className: 'sayso-claim__results' },
				claim.results.length ? null : el( 'p', null, __( 'No source in Sayso says anything about this yet.', 'sayso' ) ),
				STANCES.map( ( { stance, label } ) => {
					const findings = claim.results.filter( ( finding ) => finding.stance === stance );
					if ( ! findings.length ) {
						return null;
					}
					return el(
						'div',
						{ key: stance, className: 'sayso-group is-' + stance },
						el( 'h3', { className: 'sayso-group__title' }, label + ' (' + findings.length + ')' ),
						el(
							'ul',
							null,
							findings.map( ( finding ) => el( Finding, { key: finding.sentence.id, state, claim, finding } ) )
						)
					);
				} )
			)
		);
	}

	function Sidebar( { state } ) {
		const answer = state.check.answer;
		return el(
			PanelBody,
			{ className: 'sayso-sidebar' },
			el( 'p', { className: 'sayso-intro' }, __( 'Find the claims in this draft, who makes them, and which published sources corroborate or contradict them.', 'sayso' ) ),
			el( CheckButton, { state } ),
			el( Messages, { state } ),
			answer && el( Summary, { answer } ),
			answer && el(
				'ol',
				{ className: 'sayso-claims' },
				state.claims.map( ( claim ) => el( Claim, { key: claim.index, state, claim } ) )
			)
		);
	}

	function PrePublish( { state } ) {
		const { openGeneralSidebar, closePublishSidebar } = useDispatch( 'core/edit-post' );
		const review = ( claim ) => {
			closePublishSidebar();
			openGeneralSidebar( PLUGIN + '/' + SIDEBAR );
			if ( state.selected !== claim.index ) {
				state.choose( claim );
			}
		};
		let body;
		if ( state.check.status === 'checking' ) {
			body = el( 'p', null, el( Spinner ), __( 'Checking…', 'sayso' ) );
		} else if ( ! state.check.answer ) {
			body = el(
				Fragment,
				null,
				el( 'p', null, __( 'This draft has not been checked with Sayso yet.', 'sayso' ) ),
				el( Messages, { state } ),
				el( CheckButton, { state } )
			);
		} else {
			body = el(
				Fragment,
				null,
				el( Messages, { state } ),
				state.stale && el( CheckButton, { state } ),
				state.unreviewed.length
					? el(
						Fragment,
						null,
						el( 'p', null, __( 'Contradicted, and nobody has confirmed or rejected the contradiction:', 'sayso' ) ),
						el(
							'ul',
							{ className: 'sayso-prepublish__claims' },
							state.unreviewed.map( ( claim ) => el(
								'li',
								{ key: claim.index, className: 'sayso-prepublish__claim' },
								el( 'span', { className: 'sayso-claim__text' }, claim.text ),
								' ',
								el( Button, { variant: 'link', onClick: () => review( claim ) }, __( 'Review', 'sayso' ) )
							) )
						)
					)
					: el( 'p', null, __( 'No contradicted claim is waiting for review.', 'sayso' ) )
			);
		}
		return el(
			PluginPrePublishPanel,
			{
				className: 'sayso-prepublish',
				title: state.unreviewed.length
					/* translators: %d: number of contradicted claims nobody has reviewed. */
					? sprintf( __( 'Sayso: %d contradicted', 'sayso' ), state.unreviewed.length )
					: __( 'Sayso', 'sayso' ),
				initialOpen: true,
			},
			body
		);
	}

	function SaysoPlugin() {
		const state = useDraftCheck();
		return el(
			Fragment,
			null,
			el( PluginSidebarMoreMenuItem, { target: SIDEBAR, icon: 'format-quote' }, __( 'Sayso', 'sayso' ) ),
			el( PluginSidebar, { name: SIDEBAR, title: __( 'Sayso', 'sayso' ), icon: 'format-quote' }, el( Sidebar, { state } ) ),
			el( PrePublish, { state } )
		);
	}

	wp.plugins.registerPlugin( PLUGIN, { render: SaysoPlugin, icon: 'format-quote' } );
}( window.wp ) );
