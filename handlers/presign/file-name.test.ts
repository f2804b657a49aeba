import { describe, expect, it } from 'vitest';
import { fileNameProblem, generatedFileName, MAX_FILE_NAME_BYTES } from './file-name';

describe('fileNameProblem', () => {
  it.each([['data.csv'], ['Quarterly report (final) 2030.csv'], ['données-été.csv'], ['.hidden.csv'], ['a'.repeat(MAX_FILE_NAME_BYTES)], ['é'.repeat(127)], ['😀 \ud83d\ude00.csv']])(
    'accepts %j',
    (name) => {
      expect(fileNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['dir/data.csv', 'must not contain a path separator (/ or \\)'],
    ['dir\\data.csv', 'must not contain a path separator (/ or \\)'],
    ['..', 'must not contain ".."'],
    ['data..csv', 'must not contain ".."'],
    ['.', 'must not be "."'],
    ['data\u0000.csv', 'must not contain control characters'],
    ['data\n.csv', 'must not contain control characters'],
    ['data\u007f.csv', 'must not contain control characters'],
    ['data\u0085.csv', 'must not contain control characters'],
    ['\ud800.csv', 'must be well-formed Unicode text (it holds a lone surrogate, \\ud800)'],
    ['data\udfff', 'must be well-formed Unicode text (it holds a lone surrogate, \\udfff)'],
    ['a'.repeat(MAX_FILE_NAME_BYTES + 1), 'is 256 bytes in UTF-8; the limit is 255'],
    ['é'.repeat(128), 'is 256 bytes in UTF-8; the limit is 255'],
  ])('rejects %j', (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });
});

describe('generatedFileName', () => {
  it('names an undeclared upload after the time, as a CSV', () => {
    expect(generatedFileName(new Date('2030-01-02T03:04:05.678Z'))).toBe('upload-20300102T030405678Z.csv');
  });
});
