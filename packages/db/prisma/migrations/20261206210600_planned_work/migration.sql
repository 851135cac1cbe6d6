-- Issue 18, planned work: individual route sheets with their lines, and the dyad programme's evaluation.
-- CreateEnum
CREATE TYPE "target_group" AS ENUM ('disabled_children', 'difficult_life_situation', 'socially_dangerous_situation', 'other');

-- CreateEnum
CREATE TYPE "route_sheet_status" AS ENUM ('active', 'closed');

-- CreateEnum
CREATE TYPE "route_frequency" AS ENUM ('once', 'weekly', 'biweekly', 'monthly');

-- CreateEnum
CREATE TYPE "rehabilitation_dynamics" AS ENUM ('improved', 'unchanged', 'worse');

-- CreateTable
CREATE TABLE "route_sheets" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "target_group" "target_group" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "status" "route_sheet_status" NOT NULL DEFAULT 'active',
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "route_sheets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route_lines" (
    "id" UUID NOT NULL,
    "route_sheet_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "profession" "profession" NOT NULL,
    "form" "consultation_form" NOT NULL,
    "specialist_id" UUID NOT NULL,
    "planned_count" INTEGER NOT NULL,
    "frequency" "route_frequency" NOT NULL,
    "note" TEXT,

    CONSTRAINT "route_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dyad_evaluations" (
    "dyad_id" UUID NOT NULL,
    "dynamics" "rehabilitation_dynamics" NOT NULL,
    "dynamics_note" TEXT,
    "client1_motivation_end" "motivation_level" NOT NULL,
    "client2_motivation_end" "motivation_level" NOT NULL,
    "evaluated_by_id" UUID NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dyad_evaluations_pkey" PRIMARY KEY ("dyad_id")
);

-- CreateIndex
CREATE INDEX "route_sheets_institution_id_client_id_idx" ON "route_sheets"("institution_id", "client_id");

-- CreateIndex
CREATE INDEX "route_lines_route_sheet_id_position_idx" ON "route_lines"("route_sheet_id", "position");

-- CreateIndex
CREATE INDEX "route_lines_specialist_id_idx" ON "route_lines"("specialist_id");

-- AddForeignKey
ALTER TABLE "route_sheets" ADD CONSTRAINT "route_sheets_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_sheets" ADD CONSTRAINT "route_sheets_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_lines" ADD CONSTRAINT "route_lines_route_sheet_id_fkey" FOREIGN KEY ("route_sheet_id") REFERENCES "route_sheets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_lines" ADD CONSTRAINT "route_lines_specialist_id_fkey" FOREIGN KEY ("specialist_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyad_evaluations" ADD CONSTRAINT "dyad_evaluations_dyad_id_fkey" FOREIGN KEY ("dyad_id") REFERENCES "dyads"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyad_evaluations" ADD CONSTRAINT "dyad_evaluations_evaluated_by_id_fkey" FOREIGN KEY ("evaluated_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written checks (invisible to Prisma's diff).
ALTER TABLE "route_sheets" ADD CONSTRAINT "route_sheets_dates_check" CHECK ("end_date" >= "start_date");
ALTER TABLE "route_lines" ADD CONSTRAINT "route_lines_planned_count_check" CHECK ("planned_count" BETWEEN 1 AND 200);
