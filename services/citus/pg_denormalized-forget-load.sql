-- tweetload.forget_load of pg_denormalized on Citus (`load --replace`): applied by
-- `tweetload db reset --citus` after the schema, in place of services/pg_denormalized's form,
-- whose DELETE ... RETURNING inside a CTE Citus cannot plan ("could not create distributed
-- plan"). The same rows go; the count comes from the DELETE itself.
CREATE OR REPLACE FUNCTION tweetload.forget_load(p_load BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  removed BIGINT;
BEGIN
  DELETE FROM tweets_jsonb WHERE load_id = p_load;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
