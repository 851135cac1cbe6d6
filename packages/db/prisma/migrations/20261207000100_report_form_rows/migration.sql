-- A department's own versions of the monthly report form (rows it added to the built-in
-- version 1) and the head's hand-entered figures of those rows before submission.

-- CreateTable
CREATE TABLE "report_form_versions" (
    "id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "rows" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,

    CONSTRAINT "report_form_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monthly_report_inputs" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID NOT NULL,

    CONSTRAINT "monthly_report_inputs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "report_form_versions_department_id_version_key" ON "report_form_versions"("department_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "monthly_report_inputs_institution_id_month_key" ON "monthly_report_inputs"("institution_id", "month");

-- AddForeignKey
ALTER TABLE "report_form_versions" ADD CONSTRAINT "report_form_versions_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_form_versions" ADD CONSTRAINT "report_form_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_report_inputs" ADD CONSTRAINT "monthly_report_inputs_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_report_inputs" ADD CONSTRAINT "monthly_report_inputs_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Checks Prisma does not express.
ALTER TABLE "report_form_versions" ADD CONSTRAINT "report_form_versions_version_check" CHECK ("version" >= 2);
ALTER TABLE "report_form_versions" ADD CONSTRAINT "report_form_versions_rows_check" CHECK (jsonb_typeof("rows") = 'array');
ALTER TABLE "monthly_report_inputs" ADD CONSTRAINT "monthly_report_inputs_month_check" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE "monthly_report_inputs" ADD CONSTRAINT "monthly_report_inputs_values_check" CHECK (jsonb_typeof("values") = 'object');
