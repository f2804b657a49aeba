/**
 * cdk-nag (AwsSolutions) runs on every synth of the app: the stack has zero unacknowledged errors or
 * warnings with fanOut off and on, every acknowledgement has a written reason, and a deliberate
 * finding does fail the synth (so the zero above means something).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize, type Synthesized, type ValidationViolation } from './synth';

const synths: Synthesized[] = [];
afterAll(() => synths.forEach((s) => s.dispose()));

describe.each([false, true])('fanOut %s', (fanOut) => {
  const synth = synthesize({ fanOut });
  synths.push(synth);

  it('has no unacknowledged AwsSolutions error or warning', () => {
    expect(synth.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath)}`)).toEqual([]);
  });

  it('acknowledges every finding with a written reason', () => {
    const acknowledgements = synth.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledgements) {
      expect(rule).toMatch(/AwsSolutions-/);
      expect(reason.length, `reason of ${rule}`).toBeGreaterThan(40);
    }
  });
});

it('fails the synth on an unacknowledged error and reports warnings', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'tidewatch-nag-'));
  try {
    const withFindings = () =>
      synthesize(
        {},
        {
          outdir,
          extend: (stack) => {
            new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
            new dynamodb.Table(stack, 'PlainTable', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
          },
        },
      );
    expect(withFindings).toThrow(/AwsSolutions-SQS4/);
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: ValidationViolation[] }[];
    };
    const findings = report.pluginReports.flatMap((p) => p.violations).map((v) => `${v.severity} ${v.ruleName}`);
    expect(findings).toEqual(expect.arrayContaining(['error AwsSolutions-SQS3', 'error AwsSolutions-SQS4', 'warning AwsSolutions-DDB3']));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
