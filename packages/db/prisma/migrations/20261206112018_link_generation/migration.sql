-- AlterTable
ALTER TABLE "participants" ADD COLUMN     "link_generation" INTEGER NOT NULL DEFAULT 1;


-- Written by hand (Prisma's diff does not see CHECKs): generations start at 1 and only grow.
ALTER TABLE "participants"
  ADD CONSTRAINT "participants_link_generation_check" CHECK ("link_generation" >= 1);
