/**
 * The local cloud's one credential pair (LocalStack's convention): presigned URLs must be signed with
 * it; requests signed in headers are accepted with any. The CLI, the local cloud's own clients, the
 * runbooks' shell set-up and the tests all use it, so a URL any of them presigns verifies.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
