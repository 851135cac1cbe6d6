-- AlterTable
ALTER TABLE "institutions" ADD COLUMN     "phone" TEXT;

