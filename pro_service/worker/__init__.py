"""The worker: the scheduled jobs (outbox, reminders, expired invitations, due letters) outside the web processes.

Several workers may run against one PostgreSQL: each claims the rows it works
on with ``SELECT … FOR UPDATE SKIP LOCKED`` (`claims`), so no message is sent
and no letter rendered twice. On SQLite one worker at a time runs its jobs.
"""
