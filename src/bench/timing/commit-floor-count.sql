SELECT count(*)::int AS n FROM tweetload_commit_floor
