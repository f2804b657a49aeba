import { globSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from './zod-mini';

const HANDLERS = path.resolve(import.meta.dirname, '..');

describe('zod-mini', () => {
  it("gives zod/mini schemas zod's English messages", () => {
    const result = z.object({ size: z.number() }).safeParse({ size: 'large' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Invalid input: expected number, received string');
  });

  it('is the only way the handlers reach zod/mini, so no schema is built before the messages are set', () => {
    const direct = globSync('**/*.ts', { cwd: HANDLERS })
      .filter((file) => file !== 'shared/zod-mini.ts' && !file.endsWith('.test.ts'))
      .filter((file) => /from ['"]zod\/mini['"]/.test(readFileSync(path.join(HANDLERS, file), 'utf8')));
    expect(direct).toEqual([]);
  });
});
