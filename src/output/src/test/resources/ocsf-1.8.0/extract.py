#!/usr/bin/env python3
"""Copies from a checkout of ocsf/ocsf-schema, at the 1.8.0 commit, the JSON files the OCSF test reads:
the Compliance Finding class and the classes it extends, the profiles they $include, the objects jitguard's
events use (and the objects those extend or $include), and the dictionary trimmed to the attributes of those
files (plus its data types). Usage: extract.py <ocsf-schema checkout> <commit> <out dir>"""
import json, os, subprocess, sys

repo, commit, out = sys.argv[1:4]
OBJECTS = ["metadata", "product", "finding_info", "compliance", "remediation", "resource_details", "group",
           "cloud", "account"]

def show(path):
    return json.loads(subprocess.check_output(["git", "-C", repo, "show", f"{commit}:{path}"]))

done = {}
def load(path):
    if path in done:
        return
    doc = show(path)
    done[path] = doc
    for inc in doc.get("attributes", {}).get("$include", []):
        load(inc)
    parent = doc.get("extends")
    if parent and parent != "object":
        if path.startswith("events/"):
            load("events/base_event.json" if parent == "base_event" else f"events/findings/{parent}.json")
        else:
            load(f"objects/{parent}.json")

load("events/findings/compliance_finding.json")
for o in OBJECTS:
    load(f"objects/{o}.json")
names = set()
for doc in done.values():
    names.update(k for k in doc.get("attributes", {}) if k != "$include")
dictionary = show("dictionary.json")
dictionary["attributes"] = {k: v for k, v in dictionary["attributes"].items() if k in names}
done["dictionary.json"] = dictionary
for path, doc in done.items():
    os.makedirs(os.path.join(out, os.path.dirname(path)), exist_ok=True)
    with open(os.path.join(out, path), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
categories = show("categories.json")
categories["attributes"] = {"findings": categories["attributes"]["findings"]}
with open(os.path.join(out, "categories.json"), "w") as f:
    json.dump(categories, f, indent=1, sort_keys=True)
    f.write("\n")
print("\n".join(sorted(done)))
