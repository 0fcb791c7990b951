import { describe, expect, it } from 'vitest';
import { csvToMarkdown, parseCsv, sniffDelimiter } from './csv';

describe('parseCsv (RFC 4180)', () => {
  it('handles quotes, escaped quotes, delimiters and line breaks inside quotes, CRLF', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n1,"two\nlines",3\r\n', ',')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['1', 'two\nlines', '3'],
    ]);
  });
  it('keeps empty fields and a last line without a break', () => {
    expect(parseCsv('a,,c\n,,', ',')).toEqual([['a', '', 'c'], ['', '', '']]);
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter that splits every line alike', () => {
    expect(sniffDelimiter('name;price\nTea, green;3,50\nCoffee;2,10\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a,b\n1,2\n')).toBe(',');
    expect(sniffDelimiter('just one column\nsecond\n')).toBe(',');
  });
});

describe('csvToMarkdown', () => {
  it('writes a markdown table, escaping pipes and flattening line breaks', () => {
    expect(csvToMarkdown('name,note\nAda,"a|b"\nBob,"x\ny"\n').text).toBe('| name | note |\n| --- | --- |\n| Ada | a\\|b |\n| Bob | x y |');
  });

  it('groups rows with the header repeated, so each chunk stays readable', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `item ${i},${i * 10}`).join('\n');
    const { text, rows: n } = csvToMarkdown(`what,amount\n${rows}`, { groupChars: 200 });
    expect(n).toBe(30);
    const groups = text.split('\n\n');
    expect(groups.length).toBeGreaterThan(2);
    for (const g of groups) {
      expect(g.startsWith('| what | amount |\n| --- | --- |\n')).toBe(true);
      expect(g.length).toBeLessThanOrEqual(200);
    }
    expect(groups.join('\n').match(/\| item \d+ \|/g)).toHaveLength(30);
  });

  it('pads short rows, names blank headers, skips blank lines, uses a given delimiter', () => {
    expect(csvToMarkdown('a;;c\n1\n\n2;3;4', { delimiter: ';' }).text).toBe('| a | column 2 | c |\n| --- | --- | --- |\n| 1 |  |  |\n| 2 | 3 | 4 |');
  });
});
