-- The last sign-in as a column set at sign-in (it was read from the newest session row,
-- which disappears when sessions are cleaned up).
-- AlterTable
ALTER TABLE "staff_users" ADD COLUMN     "last_sign_in_at" TIMESTAMPTZ(3);

-- Data (hand-written): what the sessions still tell.
UPDATE "staff_users" u SET "last_sign_in_at" = s.latest
FROM (SELECT "staff_user_id", max("created_at") AS latest FROM "staff_sessions" GROUP BY "staff_user_id") s
WHERE s."staff_user_id" = u."id";
