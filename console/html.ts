/** JSX-like templates without a JSX build step: htm bound to Preact. */
export { html } from 'htm/preact';
