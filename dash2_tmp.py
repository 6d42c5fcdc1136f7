import os, time
os.environ["DATABASE_URL"]="postgres://postgres@127.0.0.1:5432/zhifa_benchstats"
os.environ.setdefault("DJANGO_SETTINGS_MODULE","zhifa.settings")
import django; django.setup()
from orgs.models import Unit
from supervision.selectors import Period, dashboard, form_table
from zhifa import clock
import datetime as dt
clock.set_now(dt.datetime(2022,12,31,12,0,tzinfo=dt.timezone.utc))
root = Unit.objects.filter(parent__isnull=True).first()
period = Period.year(2022)
def best(f):
    f(); ts=[]
    for _ in range(5):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    return min(ts)*1000
for name in ("penalty","coercion","inspection","permit","levy"):
    print(name, "%.1f ms"%best(lambda: form_table(name, root=root, period=period)))
print("dashboard", "%.1f ms"%best(lambda: dashboard(root, period)))
