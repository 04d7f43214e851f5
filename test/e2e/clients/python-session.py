"""Drives the server with Debian's python3-kubernetes (22.6), as a user's script would.
Prints one JSON document with what it observed; the test asserts on it."""
import json
import sys

from kubernetes import client, config, watch

config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
out = {}
v1.create_namespaced_service_account('default', {'metadata': {'name': 'py-sa'}})
v1.patch_namespaced_service_account('py-sa', 'default', {'metadata': {'labels': {'a': 'b'}}})
v1.patch_namespaced_service_account('py-sa', 'default', [{'op': 'add', 'path': '/metadata/labels/c', 'value': 'd'}])
out['labels'] = v1.read_namespaced_service_account('py-sa', 'default').metadata.labels
# The namespace's own "default" account (made by the ServiceAccounts controller) is not this script's.
out['names'] = sorted(s.metadata.name for s in v1.list_namespaced_service_account('default').items if s.metadata.name != 'default')
events = []
for ev in watch.Watch().stream(v1.list_namespaced_service_account, 'default', timeout_seconds=2):
    if ev['object'].metadata.name != 'default':
        events.append([ev['type'], ev['object'].metadata.name])
out['watch'] = events
out['deleted'] = v1.delete_namespaced_service_account('py-sa', 'default').metadata.name
v1.create_namespaced_secret('default', {'metadata': {'name': 'py-secret'}, 'stringData': {'k': 'v'}})
out['secret'] = v1.read_namespaced_secret('py-secret', 'default').data
out['secretDelete'] = type(v1.delete_namespaced_secret('py-secret', 'default')).__name__
try:
    v1.read_namespaced_service_account('nope', 'default')
except client.exceptions.ApiException as e:
    out['missing'] = [e.status, json.loads(e.body)['message']]
print(json.dumps(out))
