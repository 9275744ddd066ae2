"""The one-stop back office (NĐ 118/2025/NĐ-CP, TT 03/2025/TT-VPCP): permissions and audit, the services of each
stage (intake, appraisal, decision, delivery), one action registry for the pages and the API, the queues, the
control slip and the deadline reminders, and the officers' pages and endpoints."""
