#!/usr/bin/env python3
"""Copies from a checkout of Azure/azure-policy the ids and names of the regulatory-compliance initiatives that
jitguard's controls mapping cites: each initiative's name, display name and version, its group names (the control
ids), and the references (policyDefinitionReferenceId, policyDefinitionId, groupNames) of the policies the mapping
cites. Nothing else.
Usage: extract.py <azure-policy checkout> <commit> <out file>"""
import json, subprocess, sys

repo, commit, out = sys.argv[1:4]
BASE = "built-in-policies/policySetDefinitions/"
INITIATIVES = [
    "Security Center/AzureSecurityCenter.json",
    "Regulatory Compliance/NIST_SP_800-53_R5.json",
    "Regulatory Compliance/NIST_SP_800-171_R2.json",
    "Regulatory Compliance/FedRAMP_H_audit.json",
    "Regulatory Compliance/FedRAMP_M_audit.json",
    "Regulatory Compliance/SOC_2.json",
    "Regulatory Compliance/CMMC_2_0_L2.json",
    "Regulatory Compliance/NIS2.json",
    "Regulatory Compliance/CISv1_1_0.json",
    "Regulatory Compliance/CISv2_0_0.json",
    "Regulatory Compliance/CIS_Azure_Foundations_v2.1.0.json",
]

CITED = ["b0f33259-77d7-4c9e-aac6-3aabcfae693c",  # Management ports of virtual machines should be protected with JIT
         "22730e10-96f6-4aac-ad84-9383d35b5917"]  # Management ports should be closed on your virtual machines

def show(path):
    return json.loads(subprocess.check_output(["git", "-C", repo, "show", f"{commit}:{path}"]))

extract = {"repository": "Azure/azure-policy", "commit": commit, "initiatives": []}
for rel in INITIATIVES:
    doc = show(BASE + rel)
    p = doc["properties"]
    extract["initiatives"].append({
        "path": BASE + rel,
        "name": doc["name"],
        "displayName": p["displayName"],
        "version": p.get("metadata", {}).get("version"),
        "groups": sorted(g["name"] for g in p.get("policyDefinitionGroups", [])),
        "policyDefinitions": [{"policyDefinitionReferenceId": r["policyDefinitionReferenceId"],
                               "policyDefinitionId": r["policyDefinitionId"],
                               "groupNames": r.get("groupNames", [])} for r in p["policyDefinitions"]
                              if r["policyDefinitionId"].lower().rsplit("/", 1)[-1] in CITED],
    })
with open(out, "w") as f:
    json.dump(extract, f, indent=1, sort_keys=True)
    f.write("\n")
