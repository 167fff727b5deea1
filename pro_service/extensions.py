"""Extension instances, unbound: the application factory binds them with init_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Each limit names what it counts by (pro_service/rate_limits.py); the address is the default. Where the
# counts live comes from RATELIMIT_STORAGE_URI at init_app: memory:// (per process) unless Redis is set.
limiter = Limiter(key_func=get_remote_address)
