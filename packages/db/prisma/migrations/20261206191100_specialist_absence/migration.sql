-- «Специалист заболел»: the new specialist is told in the bell that a colleague's consultation is theirs now.
ALTER TYPE "staff_notice_kind" ADD VALUE 'reassigned';
