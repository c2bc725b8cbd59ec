/**
 * Size limits on requests from the renderer (the renderer is untrusted; so is anything on the browser-mode port).
 * @module
 */

/** Largest request accepted, in bytes of JSON (an HTTP body, or an IPC payload serialised). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Longest command or query name. */
export const MAX_NAME_LENGTH = 100;

/** Longest idempotency key (`commandId`). */
export const MAX_COMMAND_ID_LENGTH = 200;
