import { describe, expect, it } from 'vitest';
import { evaluateAlarm } from '../../../local/cloudwatch/alarm-evaluation';
import type { AlarmState, TreatMissingData } from '../../../local/cloudwatch/alarm-model';

/** `0` a non-breaching datapoint, `X` a breaching one, `-` missing; oldest first, as in the CloudWatch User Guide. */
function slots(pattern: string): Array<number | undefined> {
  return pattern.split(' ').map((c) => (c === '-' ? undefined : c === 'X' ? 1 : 0));
}

function state(pattern: string, n: number, m: number, treatMissingData: TreatMissingData, currentState: AlarmState = 'OK'): AlarmState {
  return evaluateAlarm({
    slots: slots(pattern),
    evaluationPeriods: n,
    datapointsToAlarm: m,
    treatMissingData,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0.5,
    currentState,
  }).state;
}

const RETAIN = 'retain';
type Expected = AlarmState | typeof RETAIN;

/** The guide's two tables: rows of [datapoints, MISSING, IGNORE, BREACHING, NOT BREACHING]. */
const TABLES: Array<{ n: number; m: number; rows: Array<[string, Expected, Expected, Expected, Expected]> }> = [
  {
    n: 3,
    m: 3,
    rows: [
      ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
      ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
      ['- - - - -', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
      ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
      ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
      ['X - - - -', 'ALARM', RETAIN, 'ALARM', 'OK'],
    ],
  },
  {
    n: 3,
    m: 2,
    rows: [
      ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
      ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
      ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
      ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
      ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ],
  },
];

describe('evaluateAlarm reproduces the CloudWatch User Guide missing-data tables', () => {
  const treatments: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
  for (const { n, m, rows } of TABLES) {
    for (const [pattern, ...expected] of rows) {
      it(`${m} of ${n}: ${pattern}`, () => {
        treatments.forEach((treatment, column) => {
          for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
            const want = expected[column] === RETAIN ? current : expected[column];
            expect(state(pattern, n, m, treatment, current), `${treatment} from ${current}`).toBe(want);
          }
        });
      });
    }
  }
});

describe('evaluateAlarm', () => {
  it('evaluates the N most recent real datapoints when there are enough', () => {
    const outcome = evaluateAlarm({
      slots: [5, 1, 7, 9, 2],
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 2,
      currentState: 'INSUFFICIENT_DATA',
    });
    expect(outcome.state).toBe('ALARM');
    expect(outcome.evaluated.map((d) => d.value)).toEqual([2, 9]);
  });

  it('applies every comparison operator', () => {
    const at = (comparisonOperator: 'LessThanThreshold' | 'LessThanOrEqualToThreshold' | 'GreaterThanOrEqualToThreshold', value: number) =>
      evaluateAlarm({ slots: [value], evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'missing', comparisonOperator, threshold: 3, currentState: 'OK' }).state;
    expect([at('LessThanThreshold', 3), at('LessThanThreshold', 2)]).toEqual(['OK', 'ALARM']);
    expect([at('LessThanOrEqualToThreshold', 3), at('LessThanOrEqualToThreshold', 4)]).toEqual(['ALARM', 'OK']);
    expect([at('GreaterThanOrEqualToThreshold', 3), at('GreaterThanOrEqualToThreshold', 2)]).toEqual(['ALARM', 'OK']);
  });

  it('counts filled datapoints for breaching and notBreaching', () => {
    const outcome = evaluateAlarm({
      slots: [undefined, undefined, undefined],
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      currentState: 'INSUFFICIENT_DATA',
    });
    expect(outcome).toMatchObject({ state: 'OK', filledCount: 1, breachingCount: 0 });
  });
});
