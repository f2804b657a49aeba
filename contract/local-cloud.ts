/**
 * The local cloud's one credential pair (LocalStack's convention): presigned URLs must be signed with
 * it; requests signed in headers are accepted with any. The CLI, the local cloud's own clients, the
 * runbooks' shell set-up and the tests all use it, so a URL any of them presigns verifies.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * What the local CloudWatch signs its own calls with (the notifications of its alarm actions): in AWS
 * CloudWatch calls as its service principal, not as the stack's callers, so its requests are told apart
 * (the cost benchmark leaves them out: they are not per item).
 */
export const LOCAL_CLOUDWATCH_CREDENTIALS = { accessKeyId: 'local-cloudwatch', secretAccessKey: 'local-cloudwatch' } as const;
