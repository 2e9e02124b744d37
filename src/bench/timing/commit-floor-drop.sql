DROP TABLE IF EXISTS tweetload_commit_floor;
