/**
 * fauxqs 2.4.1 checks message bodies with a pattern read code unit by code unit: every character beyond
 * U+FFFF (emoji, CJK extension B, math letters) is a surrogate pair to it and is refused, where SQS
 * accepts #x10000 to #x10FFFF. The pattern is one shared object that SendMessage and SendMessageBatch
 * both test against, so giving it SQS's rule, read code point by code point, corrects both. package.json
 * pins fauxqs to an exact version for this reason. A lone surrogate is still refused, as SQS refuses it.
 */
const SQS_INVALID_BODY_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The wording SQS uses when it refuses a body. */
export const INVALID_BODY_MESSAGE =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

/** Whether SQS refuses this body for a character it does not take. */
export function hasInvalidBodyCharacter(body: string): boolean {
  return SQS_INVALID_BODY_CHARACTER.test(body);
}

/** Gives fauxqs's body check SQS's rule; idempotent. */
export async function acceptSqsBodyCharacters(): Promise<void> {
  const types = (await import(new URL('./sqs/sqsTypes.js', import.meta.resolve('fauxqs')).href)) as { INVALID_MESSAGE_BODY_CHAR: RegExp };
  types.INVALID_MESSAGE_BODY_CHAR.test = hasInvalidBodyCharacter;
}
