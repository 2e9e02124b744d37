INSERT INTO tweetload_commit_floor (connection, n) VALUES ($1, $2)
