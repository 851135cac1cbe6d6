-- Issue 18: a request's decision time (refused / completed), kept by its writers, so that the monthly
-- report's «answered on time» does not move with a later edit of the request (updated_at).
-- AlterTable
ALTER TABLE "requests" ADD COLUMN "decided_at" TIMESTAMPTZ(3);

-- Existing decisions: their last change is the best time there is.
UPDATE "requests" SET "decided_at" = "updated_at" WHERE "status" IN ('refused', 'completed');

-- Only a decided request has a decision time (it is cleared when the request is reopened).
ALTER TABLE "requests"
  ADD CONSTRAINT "requests_decided_at_check" CHECK ("decided_at" IS NULL OR "status" IN ('refused', 'completed'));
