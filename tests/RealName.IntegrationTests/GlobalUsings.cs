global using Roles = RealName.Gateway.Security.Roles;
