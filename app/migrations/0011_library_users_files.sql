-- Watch progress per user (app/library/users.py): user 1 is the Basic-auth user, and each
-- API key is user 1 + its id. Every row so far was stored as user 1 and stays that user's.
-- A revoked key's progress goes with it (key ids are never reused, so nothing is inherited).
CREATE TRIGGER api_keys_forget_progress AFTER DELETE ON api_keys
BEGIN
    DELETE FROM library_progress WHERE user_id = old.id + 1;
END;

-- The library's video of a file (the Files page's Play records progress for it).
CREATE INDEX library_videos_file ON library_videos (json_extract(data, '$.file'));
