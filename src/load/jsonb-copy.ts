/**
 * How tweets_jsonb takes raw JSON lines, for the denormalized loader and the benchmark's floor
 * (psql \copy and COPY FROM STDIN): CSV with control bytes as quote and delimiter. JSON text
 * never holds a raw control byte, so every line reaches jsonb untouched and unescaped.
 */
export const JSONB_COPY_OPTIONS = "WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')";

export const JSONB_COPY_SQL = `COPY tweets_jsonb (data) FROM STDIN ${JSONB_COPY_OPTIONS}`;
