-- CreateEnum
CREATE TYPE "room_message_kind" AS ENUM ('message', 'question', 'material');

-- AlterTable
ALTER TABLE "participants" ADD COLUMN     "registry_note" TEXT;

-- CreateTable
CREATE TABLE "room_visits" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3),

    CONSTRAINT "room_visits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "room_messages" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "kind" "room_message_kind" NOT NULL,
    "body" TEXT NOT NULL,
    "url" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "room_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consultation_notes" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consultation_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "room_visits_consultation_id_participant_id_idx" ON "room_visits"("consultation_id", "participant_id");

-- CreateIndex
CREATE INDEX "room_messages_consultation_id_created_at_idx" ON "room_messages"("consultation_id", "created_at");

-- CreateIndex
CREATE INDEX "consultation_notes_consultation_id_created_at_idx" ON "consultation_notes"("consultation_id", "created_at");

-- AddForeignKey
ALTER TABLE "room_visits" ADD CONSTRAINT "room_visits_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_visits" ADD CONSTRAINT "room_visits_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_messages" ADD CONSTRAINT "room_messages_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_messages" ADD CONSTRAINT "room_messages_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_notes" ADD CONSTRAINT "consultation_notes_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_notes" ADD CONSTRAINT "consultation_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: bounds the API also checks, so that nothing else can store more.
ALTER TABLE "room_messages" ADD CONSTRAINT "room_messages_body_length" CHECK (char_length("body") BETWEEN 1 AND 2000);
ALTER TABLE "room_messages" ADD CONSTRAINT "room_messages_url_length" CHECK ("url" IS NULL OR char_length("url") <= 2000);
ALTER TABLE "room_messages" ADD CONSTRAINT "room_messages_material_has_url" CHECK (("kind" = 'material') = ("url" IS NOT NULL));
ALTER TABLE "consultation_notes" ADD CONSTRAINT "consultation_notes_body_length" CHECK (char_length("body") BETWEEN 1 AND 4000);
ALTER TABLE "participants" ADD CONSTRAINT "participants_registry_note_length" CHECK ("registry_note" IS NULL OR char_length("registry_note") <= 1000);
ALTER TABLE "room_visits" ADD CONSTRAINT "room_visits_order" CHECK ("left_at" IS NULL OR "left_at" >= "joined_at");
