# Copy to instance/config.py and adjust. Environment variables of the same name win over this file.
# Every key is described in API.md.

# WILMA_DATABASE_URL = "postgresql+psycopg://wilma:secret@127.0.0.1/wilma"
# WILMA_PLUGINS = ["nuernberg"]
# WILMA_SOCKETIO_MESSAGE_QUEUE = "redis://127.0.0.1:6379/0"
# WILMA_DEFAULT_LOCALE = "de"
# WILMA_MAX_UPLOAD_MB = 20
# WILMA_MAIL_SERVER = "mail.example"
# WILMA_MAIL_PORT = 25
# WILMA_MAIL_FROM = "wilma@example"
