"""Reading users' folders and archives: the folder-sync job, scans, Strava exports, bulk ingest."""
