"""Extension instances, unbound: the application factory binds them with init_app."""
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
