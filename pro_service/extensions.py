"""Extension instances, unbound: the application factory binds them with init_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# In memory, per process. Each limit names what it counts by (pro_service/rate_limits.py); the address is
# the default.
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")
