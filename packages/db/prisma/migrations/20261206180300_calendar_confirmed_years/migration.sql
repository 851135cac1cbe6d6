-- Years without a shipped production calendar whose days off the admin or head confirmed.
ALTER TABLE "institutions"
  ADD COLUMN "calendar_confirmed_years" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
  ADD CONSTRAINT "institutions_calendar_confirmed_years_check"
    CHECK (array_position("calendar_confirmed_years", NULL) IS NULL
      AND 2000 <= ALL ("calendar_confirmed_years") AND 2200 >= ALL ("calendar_confirmed_years"));
