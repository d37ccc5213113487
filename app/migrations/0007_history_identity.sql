-- "Already downloaded?" asks history for a finished video by extractor and id on every add.
CREATE INDEX items_finished_identity ON items (extractor, video_id)
    WHERE location = 'done' AND status = 'finished';
