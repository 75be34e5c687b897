// mrz.mjs - a passport's machine-readable zone (ICAO 9303 TD3) as the
// booth's keyboard-wedge reader types it, for the browser tests that scan a
// document by typing it into the MRZ box.

// ICAO 9303 check digit of s (digits, A-Z, '<'), as a string
const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
export const mrzCheck = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);

// The two lines of a TD3: number (up to 9), name ("SURNAME<<GIVEN"), the
// issuing state and nationality nat, birth and expiry YYMMDD, sex M|F|<.
export function td3Lines(number, name, nat, birth, sex, expiry = '310630') {
  const num = number.padEnd(9, '<'), pn = ''.padEnd(14, '<');
  const l2 = num + mrzCheck(num) + nat + birth + mrzCheck(birth) + sex + expiry + mrzCheck(expiry) + pn + '<';
  return [`P<${nat}${name}`.padEnd(44, '<'), l2 + mrzCheck(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43))];
}

// The same, one text with the reader's line break between the lines.
export const td3 = (...args) => td3Lines(...args).join('\n');
