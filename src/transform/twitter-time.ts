const MONTHS: Record<string, string> = {
  Jan: "01",
  Feb: "02",
  Mar: "03",
  Apr: "04",
  May: "05",
  Jun: "06",
  Jul: "07",
  Aug: "08",
  Sep: "09",
  Oct: "10",
  Nov: "11",
  Dec: "12",
};

const TWITTER_TIME =
  /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2}) (\d{4})$/;

/**
 * Twitter's `Fri Jan 01 12:34:56 +0000 2021` → ISO 8601 `2021-01-01T12:34:56+00:00`,
 * which PostgreSQL reads as timestamptz. Anything else is passed through unchanged
 * (PostgreSQL accepts many other spellings); missing values are null.
 */
export function twitterTimeToIso(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  const m = TWITTER_TIME.exec(value);
  const month = m ? MONTHS[m[1] as string] : undefined;
  if (!m || !month) return value;
  return `${m[6]}-${month}-${m[2]}T${m[3]}${m[4]}:${m[5]}`;
}
