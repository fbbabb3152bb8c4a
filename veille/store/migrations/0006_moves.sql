-- One word per thing: a platform move is a "move" (the word the report always used); a
-- "migration" is only a file like this one. The space-time analysis is called "activity",
-- the name of its command, so its runs say so too.

ALTER TABLE migrations RENAME TO moves;

UPDATE runs SET name = 'activity' WHERE kind = 'analysis' AND name = 'space-time';
