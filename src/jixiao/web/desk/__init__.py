"""The finance bureau's desk (/desk/): every unit at a glance, anomalies, spot-checks, jobs."""
